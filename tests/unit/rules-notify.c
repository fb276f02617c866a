/* Unit tests of notify's rules, table-driven: the language code of a
 * value and its fallback, a phone number for a gateway, the channel of a
 * row, and how an SMS is cut.  Prints each failure, exits 1. */
#define main notify_main
#include "notify.c"
#undef main

#include "check.h"

static void
test_lang(void)
{
	static const struct { const char *v, *code; size_t fallback; } t[] = {
		{ "lt", "lt", 0 }, { "LT", "lt", 0 }, { "Ru", "ru", 0 },
		{ "lt_LT", "lt-lt", 2 }, { "lt-LT", "lt-lt", 2 },
		{ "sr-Latn-RS", "sr-latn-rs", 2 }, { "fil", "fil", 0 },
		{ "x", "x", 0 },
		{ "", NULL, 0 }, { "../en", NULL, 0 }, { "en.txt", NULL, 0 },
		{ "1lt", NULL, 0 }, { "-lt", NULL, 0 }, { "lt lt", NULL, 0 },
		{ "lietuvių", NULL, 0 }, { "ru/", NULL, 0 },
		{ "abcdefghijklmnopqrstuvwxyzabcdefghi", "abcdefghijklmnopqrstuvwxyzabcdefghi", 0 },
		{ "abcdefghijklmnopqrstuvwxyzabcdefghij", NULL, 0 },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		char code[LANG_MAX + 1];
		int n = lang_code(str_of(t[i].v), code);
		if (t[i].code == NULL)
			CHECK(n == -1, "lang '%s' taken as '%s'", t[i].v, code);
		else {
			CHECK(n >= 0 && strcmp(code, t[i].code) == 0,
			    "lang '%s': %d '%s'", t[i].v, n, n >= 0 ? code : "");
			CHECK(n < 0 || lang_fallback(code) == t[i].fallback,
			    "fallback of '%s': %zu", code, lang_fallback(code));
		}
	}
}

static void
test_phone(void)
{
	static const struct { const char *v, *want; } t[] = {
		{ "+37061234567", "+37061234567" },
		{ "+370 612 34567", "+37061234567" },
		{ "+370\xC2\xA0" "612\xC2\xA0" "34567", "+37061234567" },
		{ "(8-612) 345.67", "861234567" },
		{ "8 612 34567", "861234567" }, { "112", "112" },
		{ "+1/555/0100", "+15550100" },
		{ "123456789012345", "123456789012345" },
		{ "1234567890123456", NULL }, { "12", NULL }, { "", NULL },
		{ "+", NULL }, { "370+61234567", NULL }, { "++370612", NULL },
		{ "+370 612 34567 ext 2", NULL }, { "jonas@example.lt", NULL },
		{ "+370\n61234567", NULL }, { "+370,61234567", NULL },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		char out[PHONE_DIGITS_MAX + 2];
		int n = phone_normal(str_of(t[i].v), out);
		if (t[i].want == NULL)
			CHECK(n == -1, "phone '%s' taken as '%s'", t[i].v, out);
		else
			CHECK(n >= 0 && strcmp(out, t[i].want) == 0,
			    "phone '%s': %d '%s'", t[i].v, n, n >= 0 ? out : "");
	}
}

static void
test_channel(void)
{
	static const struct {
		const char *email, *phone;
		enum channel want;
	} t[] = {
		{ "jonas@example.lt", "+37061234567", TO_EMAIL },
		{ "jonas@example.lt", "", TO_EMAIL },
		{ "jonas@example.lt", "not a phone", TO_EMAIL },
		{ "", "+37061234567", TO_SMS },
		{ "", "", TO_NONE },
		/* a bad address is not replaced by the phone: it needs a
		 * person, and the customer chose e-mail */
		{ "jonas@", "+37061234567", TO_BAD_EMAIL },
		{ "", "call me", TO_BAD_PHONE },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		char phone[PHONE_DIGITS_MAX + 2];
		enum channel c = channel_of(str_of(t[i].email),
		    str_of(t[i].phone), phone);
		CHECK(c == t[i].want, "channel of '%s' / '%s': %d, want %d",
		    t[i].email, t[i].phone, c, t[i].want);
	}
}

static void
test_sms_cut(void)
{
	static const struct {
		const char *text;
		size_t max;
		const char *want;
		size_t chars;
	} t[] = {
		{ "short", 480, "short", 5 },
		{ "exactly ten", 11, "exactly ten", 11 },
		{ "exactly ten!", 11, "exactly\xE2\x80\xA6", 12 },
		{ "one two three", 9, "one two\xE2\x80\xA6", 13 },
		{ "one two three", 8, "one two\xE2\x80\xA6", 13 },
		{ "one two three", 7, "one\xE2\x80\xA6", 13 },
		{ "abcdefghij", 5, "abcd\xE2\x80\xA6", 10 },
		/* characters, not bytes: 6 Cyrillic letters are 12 bytes */
		{ "шёлкёж", 6, "шёлкёж", 6 },
		{ "шёлкёжш", 6, "шёлкё\xE2\x80\xA6", 7 },
		{ "ąčęėįš ųūž", 8, "ąčęėįš\xE2\x80\xA6", 10 },
		{ "a\nb\nc\nd", 4, "a\nb\xE2\x80\xA6", 7 },
		{ "   abcdef", 4, "   \xE2\x80\xA6", 9 },
		{ "xy", 1, "\xE2\x80\xA6", 2 },
	};
	struct buf out = { 0 };

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		size_t chars = sms_cut(str_of(t[i].text), t[i].max, &out);
		const char *got = buf_cstr(&out);
		CHECK(strcmp(got, t[i].want) == 0 && chars == t[i].chars,
		    "sms_cut('%s', %zu): '%s' %zu, want '%s' %zu", t[i].text,
		    t[i].max, got, chars, t[i].want, t[i].chars);
		size_t n = 0;
		for (const char *p = got; *p; p++)
			n += ((unsigned char)*p & 0xC0) != 0x80;
		CHECK(n <= t[i].max, "sms_cut('%s', %zu): %zu characters",
		    t[i].text, t[i].max, n);
	}
	buf_free(&out);
}

int
main(void)
{
	progname = "rules-notify";
	test_lang();
	test_phone();
	test_channel();
	test_sms_cut();
	printf("%d checks, %d failed\n", checks, failures);
	return failures != 0;
}
