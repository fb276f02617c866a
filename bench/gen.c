/* gen — deterministic benchmark inputs for aftersales (see bench/run.sh).
 *
 *   gen tickets N FILE        complaint-sla tickets, received in Nov 2026
 *   gen policy 0 FILE         complaint-sla policy with real-time targets only
 *   gen pauses N FILE TICKETS complaint-sla pauses: N of the tickets' (a few
 *                             overlapping, a few still going on)
 *   gen history N FILE        svc-remind history: N rows of N/5 vehicles
 *   gen schedule 0 FILE       svc-remind schedule (standard, taxi, gov-*)
 *   gen contracts N FILE      warranty contracts (2 per vehicle for half of them)
 *   gen terms 0 FILE          warranty terms
 *   gen components 0 FILE     warranty components with patterns
 *   gen claims N FILE         warranty claims (vins of the contracts + unknown)
 *   gen members N FILE        duty-roster members (N members in 50 regions)
 *   gen calls N FILE ROSTER   dispatch calls of 2026 against a roster of `plan`
 *   gen renewals N FILE       contract-remind contracts: N contracts of several
 *                             kinds for N/3 vehicles, a fifth already renewed
 *   gen events N FILE         survey-invite events: N closed repair orders,
 *                             tickets and calls of N/4 contacts, Nov 2026
 *   gen reminders N FILE      svc-remind's output with a language column: N
 *                             rows of N/5 recipients (notify)
 *   gen assist-plans 0 FILE   assist-check plans (basic, plus, fleet)
 *   gen subscriptions N FILE  assist-check subscriptions: N rows, yearly
 *                             renewals (about 2 rows a number), 2% void
 *   gen assist-calls N FILE SUBSCRIPTIONS
 *                             dispatch calls of 2026 naming those numbers
 *                             (and unknown ones, and none), in time order
 *
 * Every kind has its own fixed seed: the same N gives the same bytes, and
 * tickets and claims draw row by row, so that the first M rows are the same
 * for any N >= M (Miller runs on such a prefix).  Texts mix English,
 * Lithuanian and Russian, some with commas, quotes and line breaks, so that
 * the quoting paths of the readers are exercised; free texts (tickets, claim
 * descriptions) practically never repeat, as in real exports, so that caches
 * of pattern results are measured as they would work, not as on ten strings. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ---- random numbers: splitmix64, fixed seed per kind ---- */
static uint64_t rng_state;

static uint64_t
rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* uniform in [0, n) */
static uint32_t
rn(uint32_t n)
{
	return (uint32_t)(((rnd() >> 32) * (uint64_t)n) >> 32);
}

/* true with probability pct/1000 */
static int
per_mille(unsigned pm)
{
	return rn(1000) < pm;
}

#define PICK(a) ((a)[rn(NELEM(a))])

/* ---- calendar ---- */
static long
days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long)doe - 719468;
}

static void
civil_from_days(long z, int *y, int *m, int *d)
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int yy = (int)yoe + (int)era * 400;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yy + (*m <= 2);
}

/* "YYYY-MM-DD" */
static void
put_date(FILE *f, long day)
{
	int y, m, d;
	civil_from_days(day, &y, &m, &d);
	fprintf(f, "%04d-%02d-%02d", y, m, d);
}

/* ---- CSV writing ---- */
static void
put_field(FILE *f, const char *s)
{
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, f);
		return;
	}
	putc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			putc('"', f);
		putc(*s, f);
	}
	putc('"', f);
}

static FILE *
open_out(const char *path)
{
	FILE *f = fopen(path, "w");
	if (f == NULL) {
		fprintf(stderr, "gen: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	setvbuf(f, NULL, _IOFBF, 1 << 20);
	return f;
}

static void
close_out(FILE *f, const char *path)
{
	if (ferror(f) || fclose(f) != 0) {
		fprintf(stderr, "gen: %s: write error\n", path);
		exit(2);
	}
}

/* ---- people ---- */
static const char *const first_lt[] = {
	"Jonas", "Tomas", "Mindaugas", "Andrius", "Vytautas", "Darius", "Žydrūnas",
	"Rūta", "Eglė", "Ieva", "Aušra", "Gintarė", "Laura", "Kęstutis", "Šarūnas",
};
static const char *const last_lt[] = {
	"Petraitis", "Kazlauskas", "Jankauskas", "Stankevičius", "Vaitkus",
	"Žukauskas", "Butkus", "Paulauskas", "Urbonas", "Kairys", "Navickas",
	"Petraitienė", "Kazlauskienė", "Šimkus", "Ramanauskas",
};
static const char *const first_ru[] = {
	"Сергей", "Дмитрий", "Ирина", "Ольга", "Алексей", "Наталья", "Андрей",
	"Елена", "Михаил", "Татьяна",
};
static const char *const last_ru[] = {
	"Кузнецов", "Смирнов", "Иванов", "Попов", "Соколов", "Смирнова",
	"Кузнецова", "Волков", "Морозов", "Лебедев",
};
static const char *const first_lat[] = {
	"jonas", "tomas", "mindaugas", "andrius", "vytautas", "darius", "zydrunas",
	"ruta", "egle", "ieva", "ausra", "gintare", "laura", "kestutis", "sarunas",
};

/* ---- vehicles ---- */
static const char *const wmi[] = { "WVW", "WBA", "YV1", "TMB", "VF1", "XTA" };
static const char yearch[] = "GHJKLMNPRST";	/* 2016..2026 */

static void
make_vin(char *buf, uint32_t v)
{
	static const char vds[] = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789";
	uint32_t h = v * 2654435761u;
	snprintf(buf, 18, "%s%c%c%c1K%c%c%c%06u", wmi[v % NELEM(wmi)],
	    vds[h % 33], vds[(h >> 5) % 33], vds[(h >> 10) % 33],
	    "0123456789X"[(h >> 15) % 11], yearch[(h >> 19) % 11],
	    "ABCDEFGHJKLMN"[(h >> 23) % 13], (unsigned)(v % 1000000));
}

/* ==== complaint-sla ==== */
static const char *const channels[] = { "phone", "email", "email", "chat", "app", "phone" };
static const char *const categories[] = {
	"service", "service", "service", "service", "billing", "billing", "sales",
	"parts", "parts", "other", "service", "billing", "sales", "parts",
	"service", "billing", "service", "parts", "other", "sales", "service",
	"warranty", "safety",		/* 2 in 23: urgent by category */
};
/* Urgent words (brakes, smoke, steering, ...) are in about 5% of subjects
 * and texts: most tickets are routine, and a text that does not match is the
 * one the pattern must scan to its end. */
static const char *const subjects[] = {
	"Service appointment", "Invoice question", "Car not ready on time",
	"Replacement car", "Noise from the front axle", "Question about my car",
	"Warning light on the dashboard", "Parts order delayed",
	"Запись на сервис", "Вопрос по счёту", "Стук в подвеске",
	"Не работает кондиционер", "Когда будет готова машина?",
	"Registracija į servisą", "Sąskaitos klausimas", "Neveikia kondicionierius",
	"Kada bus paruoštas automobilis?", "Complaint", "Skundas", "Жалоба",
	"Follow-up", "Re: your booking", "Winter tyres", "Žieminės padangos",
};
static const char *const subjects_urgent[] = {
	"Brakes squeak", "Тормоза скрипят", "Stabdžiai girgžda",
	"Dūmai iš variklio skyriaus", "Smell of smoke after service",
};
static const char *const texts[] = {
	"Hello, I booked a service for next week but nobody confirmed it.",
	"The invoice shows two oil changes, I had only one.",
	"My car was promised for Friday, it is still in the workshop.",
	"After the service the \"check engine\" light came on again.",
	"Здравствуйте, после замены масла появился стук в двигателе.",
	"Прошу перезвонить, машина стоит уже неделю, запчастей нет.",
	"Счёт выставлен дважды, прошу вернуть деньги.",
	"Laba diena, automobilis vis dar neparuoštas, kada galėsiu atsiimti?",
	"Po remonto girdisi ūžesys, prašau perskambinti.",
	"Sąskaitoje nurodyta \"papildomas darbas\", dėl kurio nesitarėme.",
	"Kondicionierius vėl nepučia šalto oro, nors buvo taisytas.",
	"I would like to know the price of winter tyres, 17\", for a Golf.",
	"Thanks for the quick service!",
	"The app shows my car as ready, the service desk says it is not.",
	"Could you send the invoice again? The PDF does not open.",
	"Нужна подменная машина на время ремонта, возможно ли это?",
	"Не могу дозвониться в сервис уже второй день.",
	"Prašau atsiųsti sąskaitą faktūrą įmonės vardu.",
	"Noriu pakeisti vizito laiką į kitą savaitę.",
	"The replacement key you ordered has still not arrived.",
};
static const char *const texts_urgent[] = {
	"Please call me back, the steering wheel vibrates at 90 km/h.",
	"Чувствуется запах гари из-под капота, ехать страшно.",
	"Car pulls to the left, brakes make a grinding noise when cold.",
	"Po remonto stabdžiai veikia prastai, pedalas minkštas.",
};
static int urgent;	/* the ticket being written looks urgent */
#define PICK_URGENT(a, u) (per_mille(50) ? (urgent = 1, PICK(u)) : PICK(a))

static void
put_ts(FILE *f, long t, int style)
{
	int y, m, d;
	civil_from_days(t / 86400, &y, &m, &d);
	long s = t % 86400;
	if (style)
		fprintf(f, "%04d-%02d-%02dT%02ld:%02ld:%02ld", y, m, d,
		    s / 3600, s / 60 % 60, s % 60);
	else
		fprintf(f, "%04d-%02d-%02d %02ld:%02ld", y, m, d, s / 3600, s / 60 % 60);
}

static void
gen_tickets(long n, const char *path)
{
	FILE *f = open_out(path);
	long nov1 = days_from_civil(2026, 11, 1) * 86400L;
	char text[600];

	rng_state = 0x7469636b657473ULL;
	fputs("id,received_at,channel,category,priority,subject,text,"
	    "acknowledged_at,responded_at,resolved_at\n", f);
	for (long i = 0; i < n; i++) {
		/* received during November, wall time; more by day than night */
		long day = rn(30);
		long sec = per_mille(850) ? 8 * 3600 + rn(11 * 3600) : rn(86400);
		const char *ch = PICK(channels);
		int style = ch[0] == 'c' || ch[0] == 'a';	/* chat, app: T and seconds */
		long t = nov1 + day * 86400 + sec;
		if (!style)
			t -= t % 60;
		fprintf(f, "T%08ld,", i + 1);
		put_ts(f, t, style);
		const char *cat = PICK(categories);
		urgent = !strcmp(cat, "warranty") || !strcmp(cat, "safety");
		fprintf(f, ",%s,%s,", ch, cat);
		if (per_mille(30))
			fputs(per_mille(400) ? "urgent" : "normal", f);
		putc(',', f);
		/* subjects repeat, with a plate or a reply prefix now and then;
		 * texts are free text: a greeting, the customer's words, an
		 * order number and a plate, so practically every one differs */
		char plate[16];
		snprintf(plate, sizeof plate, "%c%c%c %03u", 'A' + (int)rn(26),
		    'A' + (int)rn(26), 'A' + (int)rn(26), rn(1000));
		const char *subj = PICK_URGENT(subjects, subjects_urgent);
		switch (rn(10)) {
		case 0: snprintf(text, sizeof text, "Re: %s", subj); break;
		case 1: case 2: snprintf(text, sizeof text, "%s (%s)", subj, plate); break;
		default: snprintf(text, sizeof text, "%s", subj);
		}
		put_field(f, text);
		putc(',', f);
		uint32_t h = (uint32_t)i * 2246822519u;
		int lang = (int)rn(3);
		const char *name = per_mille(300) ? "" : lang == 1 ?
		    first_ru[(h >> 8) % NELEM(first_ru)] : first_lt[(h >> 8) % NELEM(first_lt)];
		size_t l = (size_t)snprintf(text, sizeof text, "%s%s%s. %s",
		    lang == 0 ? "Hello" : lang == 1 ? "Здравствуйте" : "Laba diena",
		    !*name ? "" : per_mille(500) ? ", " : " ", name, PICK_URGENT(texts, texts_urgent));
		if (per_mille(250))
			l += (size_t)snprintf(text + l, sizeof text - l, "%s%s",
			    per_mille(100) ? "\n" : " ", PICK_URGENT(texts, texts_urgent));
		switch (rn(4)) {
		case 0: snprintf(text + l, sizeof text - l, " Order no. %06u, car %s.", rn(1000000), plate); break;
		case 1: snprintf(text + l, sizeof text - l, " Заказ-наряд № %06u, госномер %s.", rn(1000000), plate); break;
		case 2: snprintf(text + l, sizeof text - l, " Užsakymo nr. %06u, valst. nr. %s.", rn(1000000), plate); break;
		default: snprintf(text + l, sizeof text - l, " Tel. +3706%07u", rn(10000000));
		}
		put_field(f, text);
		/* steps: ack, response, resolve; later ones may be missing */
		/* urgent ones are handled within the hour, mostly */
		long ack = t + 60 * (long)(urgent ? rn(per_mille(850) ? 60 : 600) :
		    per_mille(50) ? 1440 + rn(2880) : rn(1440));
		long resp = ack + 60 * (long)(urgent ? rn(per_mille(850) ? 420 : 1440) :
		    rn(per_mille(100) ? 7200 : 2880));
		long res = resp + 60 * (long)rn(urgent ? 2880 : 14400);
		/* most tickets are answered and closed; the last days' are
		 * still open more often (as-of is 2026-12-01) */
		int recent = day >= 26;
		int have_ack = per_mille(recent ? 800 : 960),
		    have_resp = per_mille(recent ? 450 : 900),
		    have_res = have_resp && per_mille(recent ? 300 : 880);
		putc(',', f);
		if (have_ack)
			put_ts(f, ack, style);
		putc(',', f);
		if (have_resp)
			put_ts(f, resp, style);
		putc(',', f);
		if (have_res)
			put_ts(f, res, style);
		putc('\n', f);
	}
	close_out(f, path);
}

static void
gen_policy(const char *path)
{
	FILE *f = open_out(path);
	fputs("category,priority,ack,response,resolve,ack_warn,response_warn,resolve_warn\n"
	    "*,urgent,1h,8h,72h,,,\n"
	    "*,normal,24h,72h,14d,,48h,\n", f);
	close_out(f, path);
}

/* Pauses of the tickets of TICKETS (a file of gen_tickets): about one
 * ticket in five waits on the customer or on parts once, some of them a
 * second time, overlapping the first; a few are still waiting.  N pauses
 * in all, in the order of the tickets. */
static void
gen_pauses(long n, const char *path, const char *tickets)
{
	FILE *in = fopen(tickets, "r"), *f;
	char line[4096];
	long made = 0;

	if (in == NULL) {
		fprintf(stderr, "gen: %s: %s\n", tickets, strerror(errno));
		exit(2);
	}
	f = open_out(path);
	rng_state = 0x706175736573ULL;
	fputs("id,from,to\n", f);
	while (made < n && fgets(line, sizeof line, in) != NULL) {
		int y, mo, d, hh, mi;
		char id[16];
		/* a record's first line: T and eight digits, then the time
		 * (lines inside quoted texts are skipped) */
		if (sscanf(line, "%15[T0-9],%d-%d-%d%*1[ T]%d:%d", id, &y, &mo, &d,
		    &hh, &mi) != 6 || strlen(id) != 9 || !per_mille(185))
			continue;
		long t = days_from_civil(y, mo, d) * 86400L + hh * 3600L + mi * 60L;
		int times = per_mille(150) ? 2 : 1;
		long from = t + 60 * (long)rn(48 * 60), len = 60 * (60 + (long)rn(72 * 60));
		for (int k = 0; k < times && made < n; k++, made++) {
			fprintf(f, "%s,", id);
			put_ts(f, from, 0);
			putc(',', f);
			if (!per_mille(50))
				put_ts(f, from + len, 0);
			putc('\n', f);
			from += len / 2;	/* the second overlaps the first */
			len = 60 * (60 + (long)rn(24 * 60));
		}
	}
	fclose(in);
	close_out(f, path);
	if (made < n) {
		fprintf(stderr, "gen: %s: only %ld pauses for %s\n", path, made, tickets);
		exit(2);
	}
}

/* ==== svc-remind ==== */
enum { PLAN_STANDARD, PLAN_TAXI, PLAN_GOVQ, PLAN_GOVH, PLAN_GOVY };
static const char *const plan_name[] = {
	"standard", "taxi", "gov-quarterly", "gov-half-yearly", "gov-yearly"
};

static void
gen_schedule(const char *path)
{
	FILE *f = open_out(path);
	fputs("plan,service,every_months,every_km,lead_days,lead_km,pattern\n"
	    "standard,oil,12,15000,30,1000,\"\\boil\\b|\\bмасл|\\balyv|\\btepal\"\n"
	    "standard,brake-fluid,24,,30,,\"brake\\s*fluid|тормозн\\w*\\s+жидкост|stabdžių\\s+skyst\"\n"
	    "standard,timing-belt,72,120000,60,5000,\"timing\\s*belt|\\bГРМ\\b|paskirstymo\\s+dirž\"\n"
	    "standard,cabin-filter,24,30000,30,2000,\"cabin\\s*filter|салонн\\w*\\s+фильтр|salono\\s+filtr\"\n"
	    "taxi,oil,6,10000,14,1000,\"\\boil\\b|\\bмасл|\\balyv|\\btepal\"\n"
	    "taxi,brake-pads,,30000,,2000,\"brake\\s*pads|колодк|trinkel\"\n"
	    "taxi,inspection,6,,14,,\"inspection|техосмотр|techninė\\s+apžiūra\"\n"
	    "gov-quarterly,tour,3,,14,,\"\\btour\\b|\\bобход|\\bapžiūra\"\n"
	    "gov-quarterly,oil,12,15000,30,1000,\"\\boil\\b|\\bмасл|\\balyv|\\btepal\"\n"
	    "gov-half-yearly,tour,6,,21,,\"\\btour\\b|\\bобход|\\bapžiūra\"\n"
	    "gov-half-yearly,oil,12,15000,30,1000,\"\\boil\\b|\\bмасл|\\balyv|\\btepal\"\n"
	    "gov-yearly,tour,12,,30,,\"\\btour\\b|\\bобход|\\bapžiūra\"\n"
	    "gov-yearly,oil,12,15000,30,1000,\"\\boil\\b|\\bмасл|\\balyv|\\btepal\"\n", f);
	close_out(f, path);
}

/* what a visit did, as the workshop wrote it */
static const char *const svc_std[] = {
	"oil", "oil;cabin-filter", "oil;brake-fluid", "Oil Change (Synthetic 5W30)",
	"замена масла", "Alyvos keitimas", "Alyvos keitimas; Stabdžių skysčio keitimas",
	"Variklio tepalų keitimas", "oil;filters", "Замена масла и салонного фильтра",
	"timing-belt;oil", "Brake fluid replacement", "wipers", "tyres",
	"Ratų montavimas", "шиномонтаж", "*",	/* "*" last: see gen_history */
};
static const char *const svc_taxi[] = {
	"oil", "oil;inspection", "brake-pads", "Замена колодок", "Stabdžių trinkelės",
	"Techninė apžiūra", "oil;brake-pads", "*",
};
static const char *const svc_gov[] = {
	"tour", "tour;oil", "Quarterly tour", "Плановый обход", "Techninė apžiūra",
	"oil", "*",
};

struct hrow {
	uint32_t veh;
	int32_t day;
	int32_t km;		/* -1 = empty */
	uint16_t svc;		/* index + 1; 0 = empty */
	uint8_t plan;		/* 0xff = empty plan column */
	uint8_t kmfmt;
};

/* a hash of (vehicle, day): the history's variations, without a draw */
static uint32_t
h0(uint32_t v, int32_t day)
{
	uint32_t h = v * 2654435761u ^ (uint32_t)day * 2246822519u;
	return h ^ (h >> 15);
}

static int
hrow_cmp(const void *a, const void *b)
{
	const struct hrow *x = a, *y = b;
	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	return x->veh < y->veh ? -1 : x->veh > y->veh;
}

static void
gen_history(long n, const char *path)
{
	long nveh = n / 5;
	struct hrow *rows = calloc((size_t)n, sizeof *rows);
	long asof = days_from_civil(2026, 11, 20);
	long first = days_from_civil(2016, 1, 1);
	long nr = 0;
	char vin[18];

	if (rows == NULL) {
		perror("gen");
		exit(2);
	}
	rng_state = 0x686973746f7279ULL;
	int d = 0;
	for (long v = 0; v < nveh; v++) {
		/* rows per vehicle: 5 on average, exactly n in all */
		int k;
		if (v % 2 == 0) {
			d = (int)rn(7) - 3;
			k = 5 + d;
		} else
			k = 5 - d;
		if (v == nveh - 1)
			k = (int)(n - nr);
		if (k < 1)
			k = 1;
		int plan = per_mille(880) ? PLAN_STANDARD : per_mille(650) ? PLAN_TAXI :
		    PLAN_GOVQ + (int)rn(3);
		long deliv = first + rn((uint32_t)(asof - 60 - first));
		if (plan == PLAN_TAXI && deliv < asof - 1500)
			deliv = asof - 1500 + rn(1400);
		int rate = plan == PLAN_TAXI ? 180 + (int)rn(150) : 15 + (int)rn(70);
		/* the last visit is recent for most vehicles: fleets come
		 * every quarter, taxis twice a year, private cars yearly */
		uint32_t window = plan == PLAN_STANDARD ? (per_mille(800) ? 420 : 1500) :
		    plan == PLAN_TAXI ? 200 : 100;
		long last = asof - rn(window);
		if (last < deliv)
			last = deliv;
		long span = last - deliv;
		long km = 5 + rn(40);
		long day = deliv;
		for (int j = 0; j < k && nr < n; j++) {
			struct hrow *r = &rows[nr++];
			r->veh = (uint32_t)v;
			if (j > 0) {
				long nd = deliv + span * j / (k - 1);
				if (j < k - 1 && span / k > 8)
					nd += (long)rn((uint32_t)(span / k / 4)) - span / k / 8;
				if (nd < day)
					nd = day;
				if (nd > asof)
					nd = asof;
				km += (nd - day) * rate * (80 + rn(40)) / 100;
				day = nd;
			}
			r->day = (int32_t)day;
			r->km = (int32_t)km;
			if (j > 0 && per_mille(30))
				r->km = -1;
			else if (j > 0 && per_mille(2))
				r->km = (int32_t)(km / 10);	/* typo: rollback */
			r->kmfmt = (uint8_t)(per_mille(100) ? 1 + rn(2) : 0);
			r->svc = 0;
			if (j > 0 && per_mille(880)) {
				uint32_t ns = plan == PLAN_STANDARD ? NELEM(svc_std) :
				    plan == PLAN_TAXI ? NELEM(svc_taxi) : NELEM(svc_gov);
				/* a third of the visits are a full service of the plan */
				r->svc = (uint16_t)(per_mille(330) ? ns : 1 + rn(ns));
			}
			r->plan = 0xff;
			if (plan != PLAN_STANDARD ? j == 0 || per_mille(300) : per_mille(50))
				r->plan = (uint8_t)plan;
			/* remember the plan for services text */
			r->kmfmt |= (uint8_t)(plan << 4);
		}
	}
	n = nr;
	qsort(rows, (size_t)n, sizeof *rows, hrow_cmp);

	FILE *f = open_out(path);
	fputs("vin,date,km,services,plan,customer,phone,email\n", f);
	for (long i = 0; i < n; i++) {
		struct hrow *r = &rows[i];
		uint32_t v = r->veh;
		int plan = r->kmfmt >> 4;
		make_vin(vin, v);
		fputs(vin, f);
		putc(',', f);
		put_date(f, r->day);
		putc(',', f);
		if (r->km >= 0) {
			switch (r->kmfmt & 3) {
			case 1:
				if (r->km >= 1000)
					fprintf(f, "%d %03d", r->km / 1000, r->km % 1000);
				else
					fprintf(f, "%d", r->km);
				break;
			case 2:
				if (r->km >= 1000)
					fprintf(f, "\"%d,%03d\"", r->km / 1000, r->km % 1000);
				else
					fprintf(f, "%d", r->km);
				break;
			default:
				fprintf(f, "%d", r->km);
			}
		}
		putc(',', f);
		if (r->svc) {
			const char *sv = plan == PLAN_STANDARD ? svc_std[r->svc - 1] :
			    plan == PLAN_TAXI ? svc_taxi[r->svc - 1] : svc_gov[r->svc - 1];
			/* free text sometimes carries amounts: 4.3 l 5W30 */
			if (sv[0] != '*' && !strchr(sv, ';') && (h0(v, r->day) % 4) == 0) {
				char b[160];
				snprintf(b, sizeof b, "%s, %u.%u l %s", sv, 3 + h0(v, r->day) / 7 % 4,
				    h0(v, r->day) / 3 % 10, (h0(v, r->day) / 11) % 2 ? "5W30" : "0W20");
				put_field(f, b);
			} else
				put_field(f, sv);
		}
		putc(',', f);
		if (r->plan != 0xff)
			fputs(plan_name[r->plan], f);
		/* the customer is a function of the vehicle */
		uint32_t h = v * 2246822519u + 374761393u;
		int ru = h % 5 == 0;
		int fi = (int)((h >> 8) % (ru ? NELEM(first_ru) : NELEM(first_lt)));
		int li = (int)((h >> 16) % (ru ? NELEM(last_ru) : NELEM(last_lt)));
		fprintf(f, ",%s %s,+3706%07u,", ru ? first_ru[fi] : first_lt[fi],
		    ru ? last_ru[li] : last_lt[li], (unsigned)(h % 10000000));
		if (!ru || h % 3)
			fprintf(f, "%s%u@example.lt", first_lat[(h >> 8) % NELEM(first_lat)],
			    (unsigned)(v % 1000));
		putc('\n', f);
	}
	close_out(f, path);
	free(rows);
}

/* ==== warranty-check ==== */
static void
gen_terms(const char *path)
{
	FILE *f = open_out(path);
	fputs("tier,component,months,km,deductible\n"
	    "basic-6m,powertrain,6,10000,0\n"
	    "basic-6m,electrical,6,10000,0\n"
	    "basic-6m,brakes,6,10000,0\n"
	    "extended-12m,powertrain,12,20000,50.00\n"
	    "extended-12m,electrical,12,20000,50.00\n"
	    "extended-24m,powertrain,24,40000,100.00\n"
	    "extended-24m,electrical,24,40000,100.00\n"
	    "extended-24m,climate,12,20000,100.00\n"
	    "extended-36m,powertrain,36,60000,150.00\n"
	    "extended-36m,electrical,36,60000,150.00\n"
	    "extended-36m,climate,24,,150.00\n"
	    "extended-36m,steering,36,60000,150.00\n"
	    "extended-36m,corrosion,36,,0\n"
	    "extended-36m,hv-battery,,150000,0\n", f);
	close_out(f, path);
}

static void
gen_components(const char *path)
{
	FILE *f = open_out(path);
	fputs("component,pattern\n"
	    "hv-battery,\\b(hv battery|traction battery|high[- ]voltage battery|aukštos įtampos baterija|traukos baterija|тягов\\w* батаре\\w*|высоковольтн\\w* батаре\\w*)\\b\n"
	    "powertrain,\\b(engine|motor|gearbox|transmission|clutch|turbo\\w*|variklis|variklio|pavarų dėžė|sankaba|двигател\\w*|мотор|коробк\\w* передач|сцеплени\\w*|турбин\\w*)\\b\n"
	    "electrical,\\b(alternator|starter|wiring|ecu|generatorius|starteris|laidai|стартер|генератор|проводк\\w*)\\b\n"
	    "climate,\\b(air ?con\\w*|a/c|ac compressor|heater|kondicionier\\w*|šildytuv\\w*|кондиционер\\w*|отопител\\w*|печк\\w*)\\b\n"
	    "steering,\\b(steering|steering rack|vairo|vairas|рул\\w*)\\b\n"
	    "brakes,\\b(brakes?|brake caliper|stabd\\w*|тормоз\\w*|суппорт\\w*)\\b\n"
	    "corrosion,\\b(rust|corrosion|korozij\\w*|rūdys|ржавчин\\w*|коррози\\w*)\\b\n", f);
	close_out(f, path);
}

static const char *const tiers1[] = { "basic-6m", "basic-6m", "extended-12m", "extended-24m" };
static const char *const tiers2[] = { "extended-24m", "extended-36m", "extended-12m" };

/* contract start of vehicle v (the first one), as a day number */
static long
veh_start(uint32_t v, long *km0)
{
	uint32_t h = v * 2654435761u + 12345;
	long first = days_from_civil(2022, 1, 1);
	*km0 = (h >> 20) % 4 == 0 ? 0 : (long)((h >> 4) % 120000);
	return first + (long)(h % 1750);
}

static void
gen_contracts(long n, const char *path)
{
	FILE *f = open_out(path);
	long nveh = n * 2 / 3;
	long written = 0;
	char vin[18];

	rng_state = 0x636f6e7472616374ULL;
	fputs("vin,tier,start_date,start_km,status\n", f);
	for (long v = 0; v < nveh && written < n; v++) {
		long km0, start = veh_start((uint32_t)v, &km0);
		make_vin(vin, (uint32_t)v);
		const char *tier = PICK(tiers1);
		fprintf(f, "%s,%s,", vin, tier);
		put_date(f, start);
		putc(',', f);
		if (km0)
			fprintf(f, "%ld", km0);
		fputs(per_mille(20) ? ",void\n" : ",\n", f);
		written++;
		/* every other vehicle has a second, extended contract */
		if (v % 2 == 1 && written < n) {
			long months = tier[0] == 'b' ? 6 : tier[9] == '1' ? 12 : 24;
			fprintf(f, "%s,%s,", vin, PICK(tiers2));
			put_date(f, start + months * 365 / 12 + rn(20));
			putc(',', f);
			if (per_mille(700))
				fprintf(f, "%ld", km0 + (long)months * 1200 + rn(5000));
			fputs(",\n", f);
			written++;
		}
	}
	close_out(f, path);
}

static const char *const parts[] = {
	"Engine", "engine mount", "Gearbox", "Automatic transmission", "Clutch kit",
	"Turbocharger", "VARIKLIS", "Pavarų dėžė", "Sankaba", "Двигатель",
	"Коробка передач", "Сцепление", "Турбина", "Alternator", "Starter motor",
	"Wiring harness", "ECU", "Generatorius", "Starteris", "Генератор", "Стартер",
	"Air conditioning compressor", "A/C", "Heater core", "Kondicionierius",
	"Компрессор кондиционера", "Печка", "Steering rack", "Vairo kolonėlė",
	"Рулевая рейка", "Brake caliper", "Stabdžių diskai", "Тормозной суппорт",
	"Rust on the tailgate", "Korozija", "Ржавчина на двери", "HV battery",
	"Traction battery", "Тяговая батарея", "Wiper blade", "Valytuvai",
	"Дворники", "Door handle", "Durų rankena", "Part 8K0-615-301", "",
};
static const char *const sides[] = {
	", left", ", right", ", front", ", rear", " (kairė)", " (dešinė)", " слева", " справа",
};
static const char *const descs[] = {
	"Noise when cold", "Does not start, starter clicks",
	"Variklis trūkčioja šaltas", "No cold air", "Не охлаждает",
	"Не заряжает, горит лампа АКБ", "Rattle from the gearbox, 2nd gear",
	"Customer says: \"it smells of burning\"", "Leak under the car",
	"Neveikia, reikia keisti", "Стучит на холостых", "Warning light on",
	"Intermittent fault, code P0300", "Kondicionierius nepučia šalto oro",
	"Replaced under goodwill?", "", "Ржавчина, вздутие краски",
};

static void
gen_claims(long n, const char *path)
{
	FILE *f = open_out(path);
	long nveh = 200000;	/* vehicles with contracts: 0..199999 */
	long last = days_from_civil(2026, 11, 20);
	char vin[18];

	rng_state = 0x636c61696d73ULL;
	fputs("vin,date,km,part,description\n", f);
	for (long i = 0; i < n; i++) {
		uint32_t v = per_mille(920) ? rn((uint32_t)nveh) : (uint32_t)(nveh + rn(100000));
		long km0, start = veh_start(v, &km0);
		long d0 = start - 60 + rn(1200);
		if (d0 > last)
			d0 = last - rn(30);
		long km = km0 + (d0 - start) * (20 + (long)rn(60));
		if (km < 0)
			km = rn(500);
		make_vin(vin, v);
		fprintf(f, "%s,", vin);
		put_date(f, d0);
		fprintf(f, ",%ld,", km);
		char buf[256];
		const char *part = PICK(parts);
		switch (rn(10)) {
		case 0: case 1:
			snprintf(buf, sizeof buf, "%s%s%03X-%03u-%03u", part, *part ? " " : "",
			    rn(4096), rn(1000), rn(1000));
			break;
		case 2:
			snprintf(buf, sizeof buf, "%s%s", part, PICK(sides));
			break;
		default:
			snprintf(buf, sizeof buf, "%s", part);
		}
		put_field(f, buf);
		putc(',', f);
		/* the workshop's free text: a symptom, then a work order or a
		 * reading, so that descriptions rarely repeat */
		size_t l = (size_t)snprintf(buf, sizeof buf, "%s", PICK(descs));
		switch (rn(5)) {
		case 0: snprintf(buf + l, sizeof buf - l, "%sWO %07u", l ? ". " : "", rn(10000000)); break;
		case 1: snprintf(buf + l, sizeof buf - l, "%sDTC P%04u", l ? "; " : "", rn(3500)); break;
		case 2: snprintf(buf + l, sizeof buf - l, "%sзаказ-наряд %06u", l ? ", " : "", rn(1000000)); break;
		case 3: snprintf(buf + l, sizeof buf - l, "%sužsakymas %06u", l ? ", " : "", rn(1000000)); break;
		}
		put_field(f, buf);
		putc('\n', f);
	}
	close_out(f, path);
}

/* ==== duty-roster ==== */
static const char *const regions[50] = {
	"vilnius", "kaunas", "klaipeda", "siauliai", "panevezys", "alytus",
	"marijampole", "mazeikiai", "jonava", "utena", "kedainiai", "telsiai",
	"taurage", "ukmerge", "visaginas", "plunge", "kretinga", "silute",
	"radviliskis", "palanga", "druskininkai", "rokiskis", "birzai",
	"elektrenai", "gargzdai", "kursenai", "garliava", "jurbarkas",
	"vilkaviskis", "raseiniai", "anyksciai", "lentvaris", "grigiskes",
	"prienai", "joniskis", "kelme", "varena", "kaisiadorys", "naujoji-akmene",
	"pasvalys", "kupiskis", "zarasai", "skuodas", "sirvintos", "moletai",
	"kazlu-ruda", "sakiai", "ignalina", "svencionys", "trakai",
};
static const char *const dealer_word[] = {
	"Autocentras", "Motorai", "Auto", "Servisas", "Autoservisas", "Ratai",
	"Garažas", "Techcentras",
};

static void
gen_members(long n, const char *path)
{
	FILE *f = open_out(path);
	long y0 = days_from_civil(2026, 1, 1);

	rng_state = 0x6d656d62657273ULL;
	fputs("member,name,phone,region,role,weight,share,unavailable\n", f);
	for (long i = 0; i < n; i++) {
		const char *reg = regions[i % 50];
		int finance = i % 20 == 19;	/* one co-financer per region and round */
		fprintf(f, "M%04ld,%c%s %s %ld,+3706%07ld,%s,%s,%s,%s,", i + 1,
		    reg[0] - 32, reg + 1, PICK(dealer_word), i / 50 + 1,
		    1000000 + i * 7919 % 9000000, reg, finance ? "finance" : "duty",
		    finance ? "1" : per_mille(100) ? "2" : per_mille(60) ? "1.5" : "1",
		    per_mille(200) ? "2" : "1");
		/* a holiday and a few single days off for some */
		if (!finance && per_mille(400)) {
			long a = y0 + rn(350);
			put_date(f, a);
			fputs("..", f);
			put_date(f, a + 3 + rn(12));
			for (int k = rn(3); k > 0; k--) {
				putc(';', f);
				put_date(f, y0 + rn(365));
			}
		}
		putc('\n', f);
	}
	close_out(f, path);
}

/* Roster rows read back for `calls`: the start and end of each shift. */
struct shift {
	long start, end;
	char member[16];
};
struct region_roster {
	char name[32];
	struct shift *s;
	size_t n, cap;
	char members[32][16];	/* members met in this region */
	int nmembers;
};

/* "2026-01-01T08:00:00+02:00" -> seconds since the epoch */
static long
parse_rfc3339(const char *s)
{
	int y, mo, d, h, mi, se, oh = 0, om = 0;
	char sign = '+';
	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%c%2d:%2d", &y, &mo, &d, &h, &mi, &se,
	    &sign, &oh, &om) < 6)
		return -1;
	long t = days_from_civil(y, mo, d) * 86400L + h * 3600L + mi * 60L + se;
	long off = oh * 3600L + om * 60L;
	return sign == '-' ? t + off : sign == 'Z' ? t : t - off;
}

/* Split one line of the roster (written by `plan`: fields may be quoted,
 * none contains a line break) into fields. */
static int
split_csv(char *line, char **fld, int max)
{
	int n = 0;
	char *p = line, *w;
	while (n < max) {
		if (*p == '"') {
			fld[n++] = w = ++p;
			for (;;) {
				if (*p == '"' && p[1] == '"') {
					*w++ = '"';
					p += 2;
				} else if (*p == '"' || *p == '\0') {
					break;
				} else
					*w++ = *p++;
			}
			*w = '\0';
			if (*p == '"')
				p++;
		} else {
			fld[n++] = p;
			p += strcspn(p, ",\n\r");
		}
		if (*p != ',') {
			*p = '\0';
			break;
		}
		*p++ = '\0';
	}
	return n;
}

static int
cmpl(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;
	return x < y ? -1 : x > y;
}

static void
gen_calls(long n, const char *path, const char *roster)
{
	static struct region_roster rr[64];
	int nr = 0;
	char line[4096], *fld[16];
	FILE *in = fopen(roster, "r");
	long lo = -1, hi = -1;

	if (in == NULL) {
		fprintf(stderr, "gen: %s: %s\n", roster, strerror(errno));
		exit(2);
	}
	int cr = -1, cs = -1, ce = -1, cm = -1, cst = -1;
	if (fgets(line, sizeof line, in) != NULL) {
		int k = split_csv(line, fld, 16);
		for (int i = 0; i < k; i++) {
			if (!strcmp(fld[i], "region")) cr = i;
			if (!strcmp(fld[i], "start")) cs = i;
			if (!strcmp(fld[i], "end")) ce = i;
			if (!strcmp(fld[i], "member")) cm = i;
			if (!strcmp(fld[i], "status")) cst = i;
		}
	}
	if (cr < 0 || cs < 0 || ce < 0 || cm < 0) {
		fprintf(stderr, "gen: %s: not a roster of duty-roster plan\n", roster);
		exit(2);
	}
	while (fgets(line, sizeof line, in) != NULL) {
		int k = split_csv(line, fld, 16);
		if (k <= cm || k <= ce || (cst >= 0 && k <= cst))
			continue;
		int r;
		for (r = 0; r < nr && strcmp(rr[r].name, fld[cr]); r++)
			;
		if (r == nr) {
			if (nr == 64)
				continue;
			snprintf(rr[nr++].name, sizeof rr[r].name, "%s", fld[cr]);
		}
		struct region_roster *g = &rr[r];
		if (g->n == g->cap) {
			g->cap = g->cap ? 2 * g->cap : 1024;
			g->s = realloc(g->s, g->cap * sizeof *g->s);
			if (g->s == NULL) {
				perror("gen");
				exit(2);
			}
		}
		struct shift *s = &g->s[g->n++];
		s->start = parse_rfc3339(fld[cs]);
		s->end = parse_rfc3339(fld[ce]);
		snprintf(s->member, sizeof s->member, "%s",
		    cst >= 0 && strcmp(fld[cst], "assigned") ? "" : fld[cm]);
		if (s->member[0]) {
			int j;
			for (j = 0; j < g->nmembers && strcmp(g->members[j], s->member); j++)
				;
			if (j == g->nmembers && j < 32)
				snprintf(g->members[g->nmembers++], 16, "%s", s->member);
		}
		if (lo < 0 || s->start < lo)
			lo = s->start;
		if (s->end > hi)
			hi = s->end;
	}
	fclose(in);
	if (nr == 0) {
		fprintf(stderr, "gen: %s: empty roster\n", roster);
		exit(2);
	}

	/* call times: uniform over the roster's span, in time order */
	long *times = malloc((size_t)n * sizeof *times);
	rng_state = 0x63616c6c73ULL;
	for (long i = 0; i < n; i++)
		times[i] = lo + (long)(((rnd() >> 11) % (uint64_t)(hi - lo)));
	qsort(times, (size_t)n, sizeof *times, cmpl);

	FILE *f = open_out(path);
	static const char *const issues[] = {
		"flat tyre", "battery dead", "locked keys inside", "accident, car not drivable",
		"warning light, car stopped", "engine will not start", "sėdo akumuliatorius",
		"не заводится", "ДТП, нужен эвакуатор", "out of fuel",
	};
	fputs("call,time,region,caller,issue,referred\n", f);
	for (long i = 0; i < n; i++) {
		struct region_roster *g = &rr[rn((uint32_t)nr)];
		long t = times[i];
		/* the shift of the region at t (shifts are in start order) */
		size_t a = 0, b = g->n;
		while (b - a > 1) {
			size_t m = (a + b) / 2;
			if (g->s[m].start <= t)
				a = m;
			else
				b = m;
		}
		const char *on = g->s[a].start <= t && t < g->s[a].end ? g->s[a].member : "";
		const char *ref = on;
		if (per_mille(50))
			ref = "";
		else if (per_mille(30) && g->nmembers)
			ref = g->members[rn((uint32_t)g->nmembers)];
		int y, mo, d;
		civil_from_days(t / 86400, &y, &mo, &d);
		long s = t % 86400;
		uint32_t h = (uint32_t)i * 2246822519u;
		int ru = h % 4 == 0;
		fprintf(f, "C%07ld,%04d-%02d-%02dT%02ld:%02ld:%02ldZ,%s,%s %s,", i + 1, y, mo, d,
		    s / 3600, s / 60 % 60, s % 60, g->name,
		    ru ? first_ru[(h >> 8) % NELEM(first_ru)] : first_lt[(h >> 8) % NELEM(first_lt)],
		    ru ? last_ru[(h >> 16) % NELEM(last_ru)] : last_lt[(h >> 16) % NELEM(last_lt)]);
		put_field(f, PICK(issues));
		fprintf(f, ",%s\n", ref);
	}
	close_out(f, path);
	free(times);
	for (int r = 0; r < nr; r++)
		free(rr[r].s);
}

/* contract-remind: insurance, inspection, loans and leases, roadside
 * subscriptions and service packages of N/3 vehicles, ending around
 * 2026-11-20, some already renewed, a few void or open-ended. */
static void
gen_renewals(long n, const char *path)
{
	static const char *const kinds[] = {
		"insurance", "insurance", "inspection", "registration", "loan",
		"lease", "roadside", "package",
	};
	static const char *const providers[] = {
		"If", "ERGO", "Gjensidige", "BTA", "Swedbank", "SEB", "Luminor",
		"Regitra", "Transeksta", "Baltic Auto Service Union",
	};
	static const char *const names[] = {
		"Jonas Petraitis", "Ona Kazlauskienė", "Mantas Urbonas",
		"Сергей Кузнецов", "Иван Петров", "Rūta Šimkutė", "Embassy of Sweden",
	};
	FILE *f = open_out(path);
	long asof = days_from_civil(2026, 11, 20);
	char vin[18];
	long k = 0;

	rng_state = 0x72656e6577616c73ULL;
	fputs("contract,vin,kind,start_date,end_date,status,customer,email,phone,provider\n", f);
	for (uint32_t v = 0; k < n; v++) {
		make_vin(vin, v);
		const char *who = PICK(names);
		int nk = 2 + (int)rn(3);
		for (int i = 0; i < nk && k < n; i++) {
			const char *kind = PICK(kinds);
			long end = asof - 60 + (long)rn(500);
			long len = kind[0] == 'l' ? 365 * (3 + (long)rn(3)) :
			    kind[0] == 'i' && kind[1] == 'n' && kind[2] == 's' &&
			    kind[3] == 'p' ? 730 : 365;
			int renewed = per_mille(200) && k + 1 < n;
			for (int r = 0; r <= renewed; r++) {
				fprintf(f, "C%08ld,%s,%s,", ++k, vin, kind);
				put_date(f, end - len + 1);
				putc(',', f);
				if (kind[0] == 'p' && per_mille(300))
					;	/* an open-ended service package */
				else
					put_date(f, end);
				fprintf(f, ",%s,", per_mille(15) ? "void" : "");
				put_field(f, who);
				fprintf(f, ",c%u@example.lt,+3706%07u,%s\n", v,
				    v % 10000000, PICK(providers));
				end += len;
			}
		}
	}
	close_out(f, path);
}

/* survey-invite: events closed in the three weeks before 2026-11-20, of
 * N/4 contacts (a fleet's contact has many), some internal, some opted
 * out, some without a contact, a few not closed yet. */
static void
gen_events(long n, const char *path)
{
	static const char *const kinds[] = {
		"service", "service", "service", "warranty", "delivery",
		"complaint", "roadside", "internal",
	};
	static const char *const langs[] = { "lt", "lt", "ru", "en" };
	static const char *const advisors[] = {
		"Rasa", "Tomas", "Inga", "Olga", "Lukas", "Milda", "Viktor",
	};
	FILE *f = open_out(path);
	long base = days_from_civil(2026, 11, 20) - 21;
	long ncontacts = n / 4 > 0 ? n / 4 : 1;

	rng_state = 0x6576656e74730000ULL;
	fputs("id,closed_at,contact,kind,opt_out,dealer,advisor,language\n", f);
	for (long i = 0; i < n; i++) {
		long day = base + i * 21 / n;
		uint32_t c = rn((uint32_t)ncontacts);
		fprintf(f, "RO-%07ld,", i + 1);
		if (!per_mille(20)) {
			put_date(f, day);
			fprintf(f, " %02u:%02u", 8 + rn(10), rn(60));
		}
		if (per_mille(30))
			fputs(",", f);
		else if (c % 3 == 0)
			fprintf(f, ",+3706%07u", c);
		else
			fprintf(f, ",c%u@example.lt", c);
		fprintf(f, ",%s,%s,D%02u,%s,%s\n", PICK(kinds),
		    per_mille(40) ? "yes" : "", 1 + rn(12), PICK(advisors), PICK(langs));
	}
	close_out(f, path);
}

/* ==== notify ==== */
/* svc-remind's output, as the nightly job hands it to notify: N rows of
 * N/5 recipients, each recipient's rows N/5 rows apart (row i belongs to
 * recipient i mod R, scattered by a multiplier prime to R), so that every
 * group is held until the end.  Half the recipients write Lithuanian,
 * three in ten Russian, two in ten English; seven in ten have an e-mail
 * address, the others get an SMS. */
static void
gen_reminders(long n, const char *path)
{
	static const char *const svc[] = { "oil", "brake-fluid", "timing-belt",
		"filters", "inspection", "R-2026-014" };
	static const char *const status[] = { "due_soon", "due_soon", "overdue" };
	static const char *const langs[] = { "lt", "lt", "lt", "lt", "lt", "ru",
		"ru", "ru", "en", "en" };
	FILE *f = open_out(path);
	long nr = n / 5 > 0 ? n / 5 : 1;
	char vin[18], name[160];

	rng_state = 0x6e6f74696679ULL;	/* "notify" */
	fputs("vin,plan,service,status,due_date,days_left,due_km,km_left,est_km,"
	    "due_by,last_done_date,last_done_km,note,customer,phone,email,"
	    "client_class,dealer,language\n", f);
	for (long i = 0; i < n; i++) {
		uint32_t r = (uint32_t)((uint64_t)(i % nr) * 7919 % (uint64_t)nr);
		uint32_t h = r * 2654435761u;
		const char *lang = langs[r % 10];
		int ru = lang[0] == 'r', vehicles = 1 + (int)(h >> 28) % 3;
		make_vin(vin, r * 3 + (uint32_t)((i / nr) % vehicles));
		const char *sv = PICK(svc);
		int recall = sv[0] == 'R';
		const char *st = recall ? "recall" : PICK(status);
		long due = days_from_civil(2026, 11, 20) + (recall ? 0 :
		    st[0] == 'o' ? -(long)rn(200) - 1 : (long)rn(30));
		long left = due - days_from_civil(2026, 11, 20);
		long km = 20000 + rn(180000);
		fprintf(f, "%s,standard,%s,%s,", vin, sv, st);
		put_date(f, due);
		if (recall)
			fprintf(f, ",0,,,%ld,campaign,,,Airbag inflator replacement,", km);
		else {
			fprintf(f, ",%ld,%ld,%ld,%ld,time,", left, km + 1500,
			    1500 - (long)rn(3000), km);
			put_date(f, due - 365);
			fprintf(f, ",%ld,%s,", km - 15000, rn(4) ? "" : "default_rate");
		}
		snprintf(name, sizeof name, "%s %s",
		    ru ? first_ru[(h >> 8) % NELEM(first_ru)] : first_lt[(h >> 8) % NELEM(first_lt)],
		    ru ? last_ru[(h >> 16) % NELEM(last_ru)] : last_lt[(h >> 16) % NELEM(last_lt)]);
		put_field(f, name);
		fprintf(f, ",+3706%07u,", (unsigned)(r % 10000000));
		if ((h >> 4) % 10 < 7)
			fprintf(f, "%s.%u@example.lt", first_lat[(h >> 8) % NELEM(first_lat)],
			    (unsigned)r);
		fprintf(f, ",private,D%02u,%s\n", 1 + (unsigned)(r % 12), lang);
	}
	close_out(f, path);
}

/* ==== assist-check ==== */
static void
gen_assist_plans(const char *path)
{
	FILE *f = open_out(path);
	fputs("plan,calls_per_year,tow_km,services,waiting_days,grace_days\n"
	    "basic,3,25,tow;battery;tire;fuel;lockout,0,0\n"
	    "plus,5,100,*,7,30\n"
	    "fleet,,150,tow;battery;tire;fuel;lockout;taxi;replacement_car,0,14\n", f);
	close_out(f, path);
}

static const char *const insurers[] = {
	"Baltijos draudimas", "Nemuno draudimas", "Gintaro draudimas",
	"Šiaurės draudimas",
};

static void
gen_subscriptions(long n, const char *path)
{
	FILE *f = open_out(path);
	long first = days_from_civil(2023, 6, 1), last = days_from_civil(2026, 12, 31);
	long rows = 0;
	char vin[18];

	rng_state = 0x7375627363726970ULL;
	fputs("subscription,plan,start_date,end_date,vin,holder,insurer,status\n", f);
	for (long num = 1; rows < n; num++) {
		int fleet = per_mille(20);
		const char *plan = fleet ? "fleet" : per_mille(400) ? "plus" : "basic";
		const char *ins = fleet || per_mille(500) ? PICK(insurers) : "";
		int ru = per_mille(250);
		const char *fn = ru ? PICK(first_ru) : PICK(first_lt);
		const char *ln = ru ? PICK(last_ru) : PICK(last_lt);
		long start = first + rn(900);
		make_vin(vin, (uint32_t)num);
		/* yearly rows while the number is renewed */
		do {
			int y, m, d;
			civil_from_days(start, &y, &m, &d);
			long end = days_from_civil(y + 1, m, d > 28 && m == 2 ? 28 : d) - 1;
			fprintf(f, "RA-%07ld,%s,", num, plan);
			put_date(f, start);
			putc(',', f);
			put_date(f, end);
			if (fleet)
				fprintf(f, ",,\"UAB \"\"Fleet %ld\"\"\",", num);
			else
				fprintf(f, ",%s,%s %s,", vin, fn, ln);
			fputs(ins, f);
			fputs(per_mille(20) ? ",void\n" : ",\n", f);
			rows++;
			start = end + 1 + (per_mille(150) ? 1 + rn(60) : 0);
		} while (rows < n && start <= last && per_mille(650));
	}
	close_out(f, path);
}

/* The numbers and vins of a subscriptions file, in order, once each. */
struct number_vin {
	char number[16], vin[18];
};

static void
gen_assist_calls(long n, const char *path, const char *subs)
{
	FILE *in = fopen(subs, "r");
	char line[4096], *fld[16];
	struct number_vin *nv = NULL;
	size_t nn = 0, cap = 0;

	if (in == NULL) {
		fprintf(stderr, "gen: %s: %s\n", subs, strerror(errno));
		exit(2);
	}
	if (fgets(line, sizeof line, in) == NULL) {
		fprintf(stderr, "gen: %s: empty\n", subs);
		exit(2);
	}
	while (fgets(line, sizeof line, in) != NULL) {
		if (split_csv(line, fld, 16) < 5)
			continue;
		if (nn > 0 && !strcmp(nv[nn - 1].number, fld[0]))
			continue;	/* a renewal */
		if (nn == cap) {
			cap = cap ? 2 * cap : 1024;
			nv = realloc(nv, cap * sizeof *nv);
			if (nv == NULL) {
				perror("gen");
				exit(2);
			}
		}
		snprintf(nv[nn].number, sizeof nv[nn].number, "%s", fld[0]);
		snprintf(nv[nn].vin, sizeof nv[nn].vin, "%s", fld[4]);
		nn++;
	}
	fclose(in);
	if (nn == 0) {
		fprintf(stderr, "gen: %s: no subscriptions\n", subs);
		exit(2);
	}

	long lo = days_from_civil(2026, 1, 1) * 86400L, span = 365 * 86400L;
	long *times = malloc((size_t)n * sizeof *times);
	rng_state = 0x6173736973747ULL;
	for (long i = 0; i < n; i++)
		times[i] = lo + (long)((rnd() >> 11) % (uint64_t)span);
	qsort(times, (size_t)n, sizeof *times, cmpl);

	static const struct { const char *issue, *service; } kinds[] = {
		{ "flat tyre", "tire" }, { "battery dead", "battery" },
		{ "locked keys inside", "lockout" }, { "out of fuel", "fuel" },
		{ "accident, car not drivable", "tow" },
		{ "engine will not start", "tow" },
		{ "warning light, car stopped", "repair" },
		{ "sėdo akumuliatorius", "battery" }, { "не заводится", "tow" },
		{ "ДТП, нужен эвакуатор", "tow" }, { "need a taxi home", "taxi" },
	};
	FILE *f = open_out(path);
	char vin[18];
	fputs("call,time,region,caller,vin,issue,referred,subscription,service,tow_km,cause\n", f);
	for (long i = 0; i < n; i++) {
		long t = times[i];
		int y, mo, d;
		civil_from_days(t / 86400, &y, &mo, &d);
		long s = t % 86400;
		int ru = per_mille(250);
		size_t k = rn(NELEM(kinds));
		const struct number_vin *sub = &nv[rn((uint32_t)nn)];
		fprintf(f, "C%07ld,%04d-%02d-%02dT%02ld:%02ld:%02ldZ,%s,%s %s,", i + 1,
		    y, mo, d, s / 3600, s / 60 % 60, s % 60, regions[rn(50)],
		    ru ? PICK(first_ru) : PICK(first_lt),
		    ru ? PICK(last_ru) : PICK(last_lt));
		/* the subscription's car mostly; another one sometimes */
		if (sub->vin[0] == '\0' || per_mille(30)) {
			make_vin(vin, rn(1000000));
			fputs(vin, f);
		} else
			fputs(sub->vin, f);
		putc(',', f);
		put_field(f, kinds[k].issue);
		fprintf(f, ",M%04u,", 1 + rn(1000));
		if (per_mille(30))
			;				/* no number given */
		else if (per_mille(40))
			fprintf(f, "RA-9%06u", rn(1000000));	/* not a number */
		else
			fputs(sub->number, f);
		fprintf(f, ",%s,", kinds[k].service);
		if (!strcmp(kinds[k].service, "tow"))
			fprintf(f, "%u", 1 + rn(per_mille(100) ? 300 : 60));
		fputs(strstr(kinds[k].issue, "accident") || strstr(kinds[k].issue, "ДТП") ?
		    ",accident\n" : ",\n", f);
	}
	close_out(f, path);
	free(times);
	free(nv);
}

int
main(int argc, char *argv[])
{
	if (argc < 4) {
		fprintf(stderr, "usage: gen KIND N FILE [ROSTER | TICKETS]\n");
		return 2;
	}
	const char *kind = argv[1], *path = argv[3];
	long n = strtol(argv[2], NULL, 10);

	if (!strcmp(kind, "tickets"))
		gen_tickets(n, path);
	else if (!strcmp(kind, "policy"))
		gen_policy(path);
	else if (!strcmp(kind, "history"))
		gen_history(n, path);
	else if (!strcmp(kind, "schedule"))
		gen_schedule(path);
	else if (!strcmp(kind, "contracts"))
		gen_contracts(n, path);
	else if (!strcmp(kind, "terms"))
		gen_terms(path);
	else if (!strcmp(kind, "components"))
		gen_components(path);
	else if (!strcmp(kind, "claims"))
		gen_claims(n, path);
	else if (!strcmp(kind, "members"))
		gen_members(n, path);
	else if (!strcmp(kind, "events"))
		gen_events(n, path);
	else if (!strcmp(kind, "renewals"))
		gen_renewals(n, path);
	else if (!strcmp(kind, "reminders"))
		gen_reminders(n, path);
	else if (!strcmp(kind, "calls") && argc > 4)
		gen_calls(n, path, argv[4]);
	else if (!strcmp(kind, "pauses") && argc > 4)
		gen_pauses(n, path, argv[4]);
	else if (!strcmp(kind, "assist-plans"))
		gen_assist_plans(path);
	else if (!strcmp(kind, "subscriptions"))
		gen_subscriptions(n, path);
	else if (!strcmp(kind, "assist-calls") && argc > 4)
		gen_assist_calls(n, path, argv[4]);
	else {
		fprintf(stderr, "gen: unknown kind '%s'\n", kind);
		return 2;
	}
	return 0;
}
