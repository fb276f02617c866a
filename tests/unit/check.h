/* check.h — what every unit test of tests/unit/ needs, once: CHECK(cond,
 * fmt, ...) counts a check and prints a failure with its file and line;
 * main() ends with printf("%d checks, %d failed\n", checks, failures)
 * and returns failures != 0.  D("YYYY-MM-DD") is a day of a test table,
 * D(NULL) none (DAY_NONE); a bad date stops the test (exit 2). */
#ifndef AS_TEST_CHECK_H
#define AS_TEST_CHECK_H

#include <stdio.h>
#include <stdlib.h>

#include "datetime.h"
#include "str.h"

static int failures, checks;

#define CHECK(cond, ...) do { checks++; if (!(cond)) { failures++; \
	printf("%s:%d: ", __FILE__, __LINE__); printf(__VA_ARGS__); \
	printf("\n"); } } while (0)

static inline day_t
D(const char *iso)
{
	day_t d;

	if (iso == NULL)
		return DAY_NONE;
	if (parse_iso_date(str_of(iso), &d) != 0) {
		printf("bad date in a test: %s\n", iso);
		exit(2);
	}
	return d;
}

#endif
