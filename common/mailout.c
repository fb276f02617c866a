/* mailout.c — delivering messages: an mbox, a Maildir, a command. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "csvout.h"
#include "mail.h"
#include "mailout.h"
#include "util.h"

extern char **environ;

enum kind { MBOX, MAILDIR, COMMAND };

struct mailout {
	enum kind kind;
	struct csvout *mbox;
	struct buf entry;
	char *dir;		/* Maildir */
	char host[256];
	unsigned long seq;
	char *cmd;		/* command */
};

struct mailout *
mailout_mbox(const char *path)
{
	struct mailout *o = xcalloc(1, sizeof *o);

	o->kind = MBOX;
	o->mbox = csvout_open(path, (struct dialect){ .delim = ',' }, false,
	    false);
	return o;
}

/* ---- Maildir -------------------------------------------------------- */

static void
make_dir(const char *path)
{
	struct stat st;

	if (mkdir(path, 0700) == -1 && errno != EEXIST)
		fatal_errno("%s: cannot make the directory", path);
	if (stat(path, &st) == -1)
		fatal_errno("%s", path);
	if (!S_ISDIR(st.st_mode))
		fatal("%s: not a directory", path);
	if (access(path, W_OK | X_OK) == -1)
		fatal_errno("%s: cannot write", path);
}

struct mailout *
mailout_maildir(const char *dir)
{
	struct mailout *o = xcalloc(1, sizeof *o);
	size_t n = strlen(dir) + 8;
	char *sub = xmalloc(n);

	o->kind = MAILDIR;
	o->dir = xstrdup(dir);
	make_dir(dir);
	for (int i = 0; i < 3; i++) {
		snprintf(sub, n, "%s/%s", dir, (const char *[]){ "tmp", "new",
		    "cur" }[i]);
		make_dir(sub);
	}
	free(sub);
	/* The host name, with / and : written as the Maildir convention
	 * says (they would end or split a file name). */
	char h[200];
	if (gethostname(h, sizeof h) == -1)
		snprintf(h, sizeof h, "localhost");
	h[sizeof h - 1] = '\0';
	size_t k = 0;
	for (const char *p = h; *p && k + 5 < sizeof o->host; p++) {
		if (*p == '/' || *p == ':') {
			k += (size_t)snprintf(o->host + k, sizeof o->host - k,
			    "\\%03o", (unsigned char)*p);
		} else
			o->host[k++] = *p;
	}
	o->host[k] = '\0';
	return o;
}

static int
write_fd(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t k = write(fd, p, n);
		if (k == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

static int
maildir_put(struct mailout *o, struct str msg, char *why, size_t cap)
{
	struct timeval tv;
	char name[400];
	size_t n = strlen(o->dir) + sizeof name + 8;
	char *tmp = xmalloc(n), *dst = xmalloc(n);
	int rc = -1;

	gettimeofday(&tv, NULL);
	snprintf(name, sizeof name, "%lld.M%06ldP%ldQ%lu.%s",
	    (long long)tv.tv_sec, (long)tv.tv_usec, (long)getpid(), ++o->seq,
	    o->host);
	snprintf(tmp, n, "%s/tmp/%s", o->dir, name);
	snprintf(dst, n, "%s/new/%s", o->dir, name);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd == -1) {
		snprintf(why, cap, "%s: %s", tmp, strerror(errno));
		goto out;
	}
	if (write_fd(fd, msg.p, msg.n) == -1 || fsync(fd) == -1) {
		snprintf(why, cap, "%s: %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		goto out;
	}
	if (close(fd) == -1 || rename(tmp, dst) == -1) {
		snprintf(why, cap, "%s: %s", dst, strerror(errno));
		unlink(tmp);
		goto out;
	}
	rc = 0;
out:
	free(tmp);
	free(dst);
	return rc;
}

/* ---- a command ------------------------------------------------------ */

struct mailout *
mailout_command(const char *cmd)
{
	struct mailout *o = xcalloc(1, sizeof *o);

	o->kind = COMMAND;
	o->cmd = xstrdup(cmd);
	return o;
}

/* The command's environment: ours with the NAME=VALUE pairs of ENV. */
static char **
command_env(const char *const *env, struct buf *store)
{
	size_t n = 0, k = 0;

	while (environ[n] != NULL)
		n++;
	char **e = xcalloc(n + 16, sizeof *e);
	for (size_t i = 0; i < n; i++) {
		bool replaced = false;
		for (size_t j = 0; env && env[j] && env[j + 1]; j += 2) {
			size_t len = strlen(env[j]);
			if (strncmp(environ[i], env[j], len) == 0 &&
			    environ[i][len] == '=')
				replaced = true;
		}
		if (!replaced)
			e[k++] = environ[i];
	}
	store->n = 0;
	size_t offs[8], m = 0;
	for (size_t j = 0; env && env[j] && env[j + 1] && m < 8; j += 2) {
		offs[m++] = store->n;
		buf_cat(store, env[j]);
		buf_putc(store, '=');
		buf_cat(store, env[j + 1]);
		buf_putc(store, '\0');
	}
	for (size_t i = 0; i < m; i++)
		e[k++] = store->p + offs[i];
	e[k] = NULL;
	return e;
}

static int
command_put(struct mailout *o, const char *const *env, struct str msg,
    char *why, size_t cap)
{
	int fd[2], rc, status, werr = 0;
	pid_t pid;
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t none, pipe_set, old;
	char *argv[] = { "sh", "-c", o->cmd, NULL };

	if (pipe(fd) == -1) {
		snprintf(why, cap, "cannot make a pipe: %s", strerror(errno));
		return -1;
	}
	/* Neither end stays open in the command (its standard input is a
	 * copy), nor in a later one. */
	fcntl(fd[0], F_SETFD, FD_CLOEXEC);
	fcntl(fd[1], F_SETFD, FD_CLOEXEC);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fd[0], STDIN_FILENO);
	posix_spawn_file_actions_adddup2(&fa, STDERR_FILENO, STDOUT_FILENO);
	posix_spawnattr_init(&at);
	sigemptyset(&none);
	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setsigdefault(&at, &pipe_set);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK |
	    POSIX_SPAWN_SETSIGDEF);
	char **envp = command_env(env, &o->entry);
	rc = posix_spawn(&pid, "/bin/sh", &fa, &at, argv, envp);
	free(envp);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	close(fd[0]);
	if (rc != 0) {
		close(fd[1]);
		snprintf(why, cap, "cannot run /bin/sh: %s", strerror(rc));
		return -1;
	}
	/* A command that exits without reading must not kill us: SIGPIPE is
	 * held while we write, and taken off again if it came. */
	sigprocmask(SIG_BLOCK, &pipe_set, &old);
	if (write_fd(fd[1], msg.p, msg.n) == -1)
		werr = errno;
	close(fd[1]);
	if (werr == EPIPE) {
		struct timespec zero = { 0, 0 };
		while (sigtimedwait(&pipe_set, NULL, &zero) == SIGPIPE)
			;
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR) {
			snprintf(why, cap, "waitpid: %s", strerror(errno));
			return -1;
		}
	if (WIFSIGNALED(status)) {
		snprintf(why, cap, "the command was killed by signal %d (%s)",
		    WTERMSIG(status), strsignal(WTERMSIG(status)));
		return -1;
	}
	if (WEXITSTATUS(status) != 0) {
		snprintf(why, cap, "the command exited with status %d",
		    WEXITSTATUS(status));
		return -1;
	}
	if (werr != 0) {
		snprintf(why, cap, "the command did not read the whole message "
		    "(%s)", strerror(werr));
		return -1;
	}
	return 0;
}

/* ---- all ------------------------------------------------------------ */

int
mailout_put(struct mailout *o, struct str sender, tstamp t,
    const char *const *env, struct str msg, char *why, size_t cap)
{
	switch (o->kind) {
	case MBOX:
		o->entry.n = 0;
		mbox_entry(&o->entry, sender, t, msg);
		csvout_raw(o->mbox, o->entry.p, o->entry.n);
		return 0;
	case MAILDIR:
		return maildir_put(o, msg, why, cap);
	case COMMAND:
		return command_put(o, env, msg, why, cap);
	}
	return -1;
}

void
mailout_close(struct mailout *o)
{
	if (o == NULL)
		return;
	if (o->kind == MBOX)
		csvout_close(o->mbox);
	if (o->kind == MAILDIR) {
		size_t n = strlen(o->dir) + 8;
		char *path = xmalloc(n);
		snprintf(path, n, "%s/new", o->dir);
		int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd == -1 || (fsync(fd) == -1 && errno != EINVAL))
			fatal_errno("%s", path);
		close(fd);
		free(path);
		free(o->dir);
	}
	free(o->cmd);
	buf_free(&o->entry);
	free(o);
}
