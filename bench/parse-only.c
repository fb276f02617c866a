/* parse-only — the floor of every program: parse a CSV file with libcsv
 * (default options) and count records and fields.  No output. */
#include <csv.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

struct counts {
	unsigned long long fields, records;
};

static void
on_field(void *s, size_t len, void *data)
{
	(void)s;
	(void)len;
	((struct counts *)data)->fields++;
}

static void
on_row(int c, void *data)
{
	(void)c;
	((struct counts *)data)->records++;
}

int
main(int argc, char *argv[])
{
	static char buf[256 * 1024];
	struct csv_parser p;
	struct counts n = { 0, 0 };
	ssize_t got;
	int fd = argc > 1 ? open(argv[1], O_RDONLY) : 0;

	if (fd == -1 || csv_init(&p, 0) != 0) {
		perror(argc > 1 ? argv[1] : "csv_init");
		return 2;
	}
	while ((got = read(fd, buf, sizeof buf)) > 0)
		if (csv_parse(&p, buf, (size_t)got, on_field, on_row, &n) != (size_t)got) {
			fprintf(stderr, "parse-only: %s\n", csv_strerror(csv_error(&p)));
			return 2;
		}
	csv_fini(&p, on_field, on_row, &n);
	csv_free(&p);
	printf("%llu records, %llu fields\n", n.records, n.fields);
	return got == -1 ? 2 : 0;
}
