/* duty-roster — roadside-assistance duty in a dealer union: plan a fair
 * rotation, tell who is on duty, check a roster, audit the dispatch call
 * log, share the cost.  The commands are the rows of the table below;
 * each is a file of its own that parses its own options.  See
 * duty-roster(1). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "duty-roster.h"
#include "util.h"

static const struct command commands[] = {
	{ "plan", plan_main,
	  "[OPTIONS] --from DATE --to DATE [MEMBERS...]",
	  "Write the roster of every region for the days --from to --to.",
	  plan_opts },
	{ "who", who_main,
	  "[OPTIONS] [--region R] [--field COLUMN] [ROSTER...]",
	  "Write the roster rows on duty at --as-of.",
	  who_opts },
	{ "check", check_main,
	  "[OPTIONS] -m MEMBERS [ROSTER...]",
	  "Write the problems of rosters against the members file.",
	  check_opts },
	{ "audit", audit_main,
	  "[OPTIONS] -r ROSTER [CALLS...]",
	  "Add who was on duty and a verdict to each call of the dispatch log.",
	  audit_opts },
	{ "share", share_main,
	  "[OPTIONS] --cost AMOUNT [-r ROSTER --credit AMOUNT] [MEMBERS...]",
	  "Split the cost among the members, crediting the duty they served.",
	  share_opts },
	{ NULL, NULL, NULL, NULL, NULL }
};

/* "plan, who, check, audit or share" */
static const char *
command_names(void)
{
	static char buf[256];
	size_t len = 0;

	for (const struct command *c = commands; c->name != NULL; c++)
		len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s",
		    c == commands ? "" : c[1].name == NULL ? " or " : ", ",
		    c->name);
	return buf;
}

static void
synopses(FILE *f)
{
	for (const struct command *c = commands; c->name != NULL; c++)
		fprintf(f, "%s %s %s %s\n", c == commands ? "usage:" : "      ",
		    progname, c->name, c->synopsis);
}

/* No command, or an unknown one: every synopsis on stderr, exit 2. */
static noreturn void
commands_usage(void)
{
	synopses(stderr);
	fprintf(stderr, "Try '%s --help' for more.\n", progname);
	exit(EXIT_FATAL);
}

/* -h before a command: the synopses and the commands, on stdout. */
static noreturn void
commands_help(void)
{
	synopses(stdout);
	printf("\nRoadside-assistance duty in a dealer union.\n\nCommands:\n");
	for (const struct command *c = commands; c->name != NULL; c++)
		printf("  %-8s%s\n", c->name, c->summary);
	printf("\n'%s COMMAND --help' lists the options of COMMAND.\n"
	    "See %s(1).\n", progname, progname);
	errno = 0;
	if (fflush(stdout) != 0 || ferror(stdout))
		fatal("write error: standard output: %s",
		    strerror(errno ? errno : EIO));
	exit(EXIT_OK);
}

int
main(int argc, char *argv[])
{
	static struct prog_info info;
	const struct command *c;

	progname = "duty-roster";
	if (argc < 2) {
		warnmsg("no command: %s", command_names());
		commands_usage();
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)
		commands_help();
	if (strcmp(argv[1], "-V") == 0 || strcmp(argv[1], "--version") == 0)
		print_version();
	for (c = commands; c->name != NULL && strcmp(argv[1], c->name); c++)
		;
	if (c->name == NULL) {
		if (argv[1][0] == '-')
			warnmsg("the command comes first: %s", command_names());
		else
			warnmsg("unknown command '%s': %s", argv[1],
			    command_names());
		commands_usage();
	}
	info = (struct prog_info){ progname, c->name, c->synopsis, c->summary,
		c->opts };
	/* The command parses the arguments after its name; getopt's
	 * messages name the program. */
	argv[1] = (char *)progname;
	return c->run(&info, argc - 1, argv + 1);
}
