/* timeit — run a command with its output to /dev/null and write to FILE one
 * line: wall seconds, user seconds, system seconds, peak RSS in KiB
 * (getrusage of the child: microseconds, where /usr/bin/time prints
 * hundredths).  Exit status: the command's (128 + signal when killed).
 * With TIMEIT_OUT=PATH in the environment, the output goes to PATH instead.
 *
 *   timeit FILE COMMAND [ARG...] */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int
main(int argc, char *argv[])
{
	struct timespec t0, t1;
	struct rusage ru;
	int st;
	pid_t pid;
	FILE *f;

	if (argc < 3) {
		fprintf(stderr, "usage: timeit FILE COMMAND [ARG...]\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((pid = fork()) == -1) {
		perror("timeit: fork");
		return 2;
	}
	if (pid == 0) {
		const char *out = getenv("TIMEIT_OUT");
		int fd = out != NULL && *out ? open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644)
		    : open("/dev/null", O_WRONLY);
		if (fd != -1)
			dup2(fd, 1);
		execvp(argv[2], argv + 2);
		perror(argv[2]);
		_exit(127);
	}
	if (wait4(pid, &st, 0, &ru) == -1) {
		perror("timeit: wait4");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if ((f = fopen(argv[1], "w")) == NULL) {
		perror(argv[1]);
		return 2;
	}
	fprintf(f, "%.4f %.4f %.4f %ld\n",
	    (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9,
	    ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6,
	    ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6, ru.ru_maxrss);
	fclose(f);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
