/*
 * loadgen.c -- signed Twilio webhooks at the gateway, many at once, for
 * the crash tests.
 *
 * Each message is made from its number alone (a MessageSid that carries
 * the number, a drama-range sender, a name and a real postcode), so that a
 * later run can send the very same message again, as Twilio does when it
 * got no 2xx.  It keeps --concurrency requests in flight and records, per
 * message, whether the gateway acknowledged it: the acknowledged ids are
 * appended to --acked, the others written to --unacked.  With --kill PID
 * it sends SIGKILL to the gateway once --kill-after milliseconds have
 * passed and at least one message was acknowledged, and says how many
 * were acknowledged and how many were in flight at that moment.
 *
 * Usage: see usage().  It talks to the URL it is given (the tests give a
 * loopback one) and stops by itself after --max-time seconds.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#define SID_TAG_LEN	8	/* hex digits of the run's tag */
#define SID_NUM_LEN	24	/* digits of the message's number */
#define SID_LEN		(2 + SID_TAG_LEN + SID_NUM_LEN)
#define BODY_MAX	4096	/* one form body */
#define SIGNED_MAX	8192	/* URL plus the sorted parameters */
#define ANSWER_MAX	8192	/* what is kept of an answer */
#define CONC_MAX	256
#define ACCOUNT_SID	"ACtest000000000000000000000000000"
#define OUR_NUMBER	"+447700900000"

/* Real postcodes in England and Wales, each one the built-in area table
 * places and a branch or an organiser covers. */
static const char *const postcodes[] = {
	"SE1 7PB", "M1 1AD", "LS1 4AP", "EC1A 1BB", "B1 1AA", "BN1 1GE",
	"NR2 1NH", "CF10 1EP", "SW1A 2AA", "BS1 4DJ", "L1 8JQ", "NE1 7RU",
	"CB2 1TN", "OX1 2JD", "S1 2HE", "NG1 5FS", "LE1 5FQ", "PL1 2AA",
	"EX1 1JG", "WC1H 9JE", "YO1 7HH", "GL1 2EH", "CV1 5RR", "SA1 3SN",
};
static const char *const names[] = {
	"Jane Smith", "Tom Jones", "Aisha Khan", "Priya Patel", "Olu Adeyemi",
	"Mary Jones", "Kim Lee", "Connor Walsh", "Grace Mensah", "Siobhan Kelly",
	"Daniel Okafor", "Fatima Malik", "Oliver Stein", "Rhys Evans",
};
/* How people write it: a printf format taking the name, then the
 * postcode. */
static const char *const wordings[] = {
	"%s %s",
	"Hi, I'm %s, %s",
	"%s here, my postcode is %s",
	"hello this is %s %s",
	"My name is %s and my postcode is %s",
	"%s, %s",
};

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))

struct msg {
	long	 num;
	int	 acked;
	int	 tries;
	int	 resend;	/* from --resend: owed, tried or not */
};

struct xfer {
	CURL		*easy;
	struct curl_slist *headers;
	struct msg	*m;
	char		 body[BODY_MAX];
	char		 answer[ANSWER_MAX];
	size_t		 answer_len;
};

static struct {
	const char	*url, *sign_url, *token, *tag;
	const char	*acked_path, *unacked_path, *resend_path;
	long		 first, count, conc, max_time;
	long		 kill_pid, kill_after_ms;
	int		 verbose;
} opt = { .conc = 32, .max_time = 20, .tag = "00000000" };

static void
usage(FILE *f)
{
	fputs("usage: loadgen --url URL --sign-url URL --token TOKEN "
	    "--acked FILE --unacked FILE\n"
	    "               [--tag HEX8] [--first N] [--count N] "
	    "[--resend FILE]\n"
	    "               [--concurrency N] [--kill PID --kill-after MS] "
	    "[--max-time S]\n", f);
}

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void
sid_of(long num, char *sid, size_t len)
{
	snprintf(sid, len, "SM%.*s%0*ld", SID_TAG_LEN, opt.tag, SID_NUM_LEN,
	    num);
}

/* The number in a sid of this run's tag; -1 when it is not one. */
static long
num_of(const char *sid)
{
	char *end;
	long n;

	if (strlen(sid) != SID_LEN || strncmp(sid, "SM", 2) != 0 ||
	    strncmp(sid + 2, opt.tag, SID_TAG_LEN) != 0)
		return -1;
	errno = 0;
	n = strtol(sid + 2 + SID_TAG_LEN, &end, 10);
	if (errno || *end != '\0' || n < 0)
		return -1;
	return n;
}

/* The drama-range number that sends message num: spread over the range,
 * so that neighbours come from different phones. */
static void
sender_of(long num, char *out, size_t len)
{
	snprintf(out, len, "+447700900%03ld", (num * 7919 + 17) % 1000);
}

static int
form_add(char *body, size_t *len, const char *name, const char *value)
{
	char *v = curl_easy_escape(NULL, value, 0);
	int n;

	if (v == NULL)
		return -1;
	n = snprintf(body + *len, BODY_MAX - *len, "%s%s=%s",
	    *len ? "&" : "", name, v);
	curl_free(v);
	if (n < 0 || (size_t)n >= BODY_MAX - *len)
		return -1;
	*len += (size_t)n;
	return 0;
}

/*
 * Message num as Twilio would post it: the form body into x->body and the
 * X-Twilio-Signature header, base64(HMAC-SHA1(token, URL + each name and
 * value, sorted by name)).  The parameters are listed here in that order.
 */
static int
make_request(struct xfer *x, long num)
{
	char sid[SID_LEN + 1], from[16], text[256], sig[64], hdr[96];
	char sgn[SIGNED_MAX];
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned int maclen;
	size_t len = 0, slen;
	int n;

	sid_of(num, sid, sizeof sid);
	sender_of(num, from, sizeof from);
	snprintf(text, sizeof text, wordings[num % nitems(wordings)],
	    names[(num / 3) % nitems(names)],
	    postcodes[(num / 7) % nitems(postcodes)]);
	const char *params[][2] = {
		{ "AccountSid", ACCOUNT_SID },
		{ "ApiVersion", "2010-04-01" },
		{ "Body", text },
		{ "From", from },
		{ "MessageSid", sid },
		{ "NumMedia", "0" },
		{ "NumSegments", "1" },
		{ "SmsMessageSid", sid },
		{ "SmsSid", sid },
		{ "SmsStatus", "received" },
		{ "To", OUR_NUMBER },
		{ "ToCountry", "GB" },
	};
	n = snprintf(sgn, sizeof sgn, "%s", opt.sign_url);
	if (n < 0 || (size_t)n >= sizeof sgn)
		return -1;
	slen = (size_t)n;
	for (size_t i = 0; i < nitems(params); i++) {
		if (form_add(x->body, &len, params[i][0], params[i][1]) == -1)
			return -1;
		n = snprintf(sgn + slen, sizeof sgn - slen, "%s%s",
		    params[i][0], params[i][1]);
		if (n < 0 || (size_t)n >= sizeof sgn - slen)
			return -1;
		slen += (size_t)n;
	}
	if (HMAC(EVP_sha1(), opt.token, (int)strlen(opt.token),
	    (unsigned char *)sgn, slen, mac, &maclen) == NULL)
		return -1;
	EVP_EncodeBlock((unsigned char *)sig, mac, (int)maclen);
	snprintf(hdr, sizeof hdr, "X-Twilio-Signature: %s", sig);
	x->headers = curl_slist_append(NULL, hdr);
	x->headers = curl_slist_append(x->headers,
	    "Content-Type: application/x-www-form-urlencoded");
	return x->headers ? 0 : -1;
}

static size_t
on_data(char *p, size_t size, size_t nmemb, void *arg)
{
	struct xfer *x = arg;
	size_t n = size * nmemb, room = sizeof x->answer - 1 - x->answer_len;

	memcpy(x->answer + x->answer_len, p, n < room ? n : room);
	x->answer_len += n < room ? n : room;
	x->answer[x->answer_len] = '\0';
	return n;
}

static int
start(CURLM *multi, struct xfer *x, struct msg *m)
{
	memset(x->answer, 0, sizeof x->answer);
	x->answer_len = 0;
	x->m = m;
	x->body[0] = '\0';
	if (make_request(x, m->num) == -1) {
		fprintf(stderr, "loadgen: cannot make message %ld\n", m->num);
		return -1;
	}
	m->tries++;
	curl_easy_reset(x->easy);
	curl_easy_setopt(x->easy, CURLOPT_URL, opt.url);
	curl_easy_setopt(x->easy, CURLOPT_PROXY, "");
	curl_easy_setopt(x->easy, CURLOPT_POSTFIELDS, x->body);
	curl_easy_setopt(x->easy, CURLOPT_HTTPHEADER, x->headers);
	curl_easy_setopt(x->easy, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(x->easy, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(x->easy, CURLOPT_PRIVATE, x);
	curl_easy_setopt(x->easy, CURLOPT_TIMEOUT, 10L);
	curl_easy_setopt(x->easy, CURLOPT_NOSIGNAL, 1L);
	return curl_multi_add_handle(multi, x->easy) == CURLM_OK ? 0 : -1;
}

/* The ids of a file, one a line; each must be of this run's tag. */
static int
read_resend(const char *path, struct msg **v, size_t *n, size_t *cap)
{
	char line[128];
	FILE *f;
	long num;

	if ((f = fopen(path, "r")) == NULL) {
		fprintf(stderr, "loadgen: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof line, f) != NULL) {
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '\0')
			continue;
		if ((num = num_of(line)) == -1) {
			fprintf(stderr, "loadgen: %s: not an id of this run: "
			    "%s\n", path, line);
			fclose(f);
			return -1;
		}
		if (*n == *cap) {
			*cap = *cap ? *cap * 2 : 1024;
			if ((*v = realloc(*v, *cap * sizeof **v)) == NULL)
				abort();
		}
		(*v)[(*n)++] = (struct msg){ .num = num, .resend = 1 };
	}
	fclose(f);
	return 0;
}

static int
parse_args(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "url", required_argument, NULL, 'u' },
		{ "sign-url", required_argument, NULL, 's' },
		{ "token", required_argument, NULL, 't' },
		{ "tag", required_argument, NULL, 'g' },
		{ "first", required_argument, NULL, 'f' },
		{ "count", required_argument, NULL, 'c' },
		{ "resend", required_argument, NULL, 'r' },
		{ "acked", required_argument, NULL, 'a' },
		{ "unacked", required_argument, NULL, 'n' },
		{ "concurrency", required_argument, NULL, 'C' },
		{ "kill", required_argument, NULL, 'k' },
		{ "kill-after", required_argument, NULL, 'K' },
		{ "max-time", required_argument, NULL, 'm' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	long *num;
	char *end;
	int ch;

	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		num = NULL;
		switch (ch) {
		case 'u': opt.url = optarg; break;
		case 's': opt.sign_url = optarg; break;
		case 't': opt.token = optarg; break;
		case 'g': opt.tag = optarg; break;
		case 'r': opt.resend_path = optarg; break;
		case 'a': opt.acked_path = optarg; break;
		case 'n': opt.unacked_path = optarg; break;
		case 'f': num = &opt.first; break;
		case 'c': num = &opt.count; break;
		case 'C': num = &opt.conc; break;
		case 'k': num = &opt.kill_pid; break;
		case 'K': num = &opt.kill_after_ms; break;
		case 'm': num = &opt.max_time; break;
		case 'v': opt.verbose = 1; break;
		case 'h': usage(stdout); exit(0);
		default: return -1;
		}
		if (num != NULL) {
			errno = 0;
			*num = strtol(optarg, &end, 10);
			if (errno || *end != '\0' || *num < 0)
				return -1;
		}
	}
	if (optind != argc || !opt.url || !opt.sign_url || !opt.token ||
	    !opt.acked_path || !opt.unacked_path ||
	    strlen(opt.tag) != SID_TAG_LEN ||
	    strspn(opt.tag, "0123456789abcdef") != SID_TAG_LEN ||
	    opt.conc < 1 || opt.conc > CONC_MAX || opt.max_time < 1 ||
	    (opt.kill_pid != 0 && opt.kill_pid < 2))
		return -1;
	return 0;
}

int
main(int argc, char **argv)
{
	struct msg *msgs = NULL;
	size_t nmsgs = 0, cap = 0, next = 0;
	struct xfer *xfers, **idle;
	size_t nidle = 0;
	long acked = 0, noreply = 0, acked_at_kill = -1, inflight_at_kill = -1;
	long inflight = 0, sent = 0;
	int gone = 0, killed = 0, timed_out = 0, rc = 0;
	double t0, deadline;
	CURLM *multi;
	FILE *fa, *fu;

	if (parse_args(argc, argv) == -1) {
		usage(stderr);
		return 2;
	}
	if (opt.resend_path &&
	    read_resend(opt.resend_path, &msgs, &nmsgs, &cap) == -1)
		return 1;
	if ((msgs = realloc(msgs, (nmsgs + (size_t)opt.count + 1) *
	    sizeof *msgs)) == NULL)
		abort();
	for (long i = 0; i < opt.count; i++)
		msgs[nmsgs++] = (struct msg){ .num = opt.first + i };
	/* Both files now, so that a run that fails still leaves them. */
	if ((fa = fopen(opt.acked_path, "a")) == NULL ||
	    (fu = fopen(opt.unacked_path, "w")) == NULL) {
		fprintf(stderr, "loadgen: cannot open the output files\n");
		return 1;
	}
	/* A line at a time: a test may count them while it runs. */
	setvbuf(fa, NULL, _IOLBF, 0);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	multi = curl_multi_init();
	curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, opt.conc);
	xfers = calloc((size_t)opt.conc, sizeof *xfers);
	idle = calloc((size_t)opt.conc, sizeof *idle);
	if (multi == NULL || xfers == NULL || idle == NULL)
		abort();
	for (long i = 0; i < opt.conc; i++) {
		if ((xfers[i].easy = curl_easy_init()) == NULL)
			abort();
		idle[nidle++] = &xfers[i];
	}

	t0 = now_ms();
	deadline = t0 + opt.max_time * 1e3;
	for (;;) {
		int running, left;
		CURLMsg *cm;

		/* Keep the connections busy until the server is gone. */
		while (!gone && !killed && nidle > 0 && next < nmsgs) {
			struct xfer *x = idle[--nidle];
			if (start(multi, x, &msgs[next++]) == -1) {
				rc = 1;
				gone = 1;
				idle[nidle++] = x;
				break;
			}
			inflight++;
			sent++;
		}
		if (inflight == 0)
			break;
		if (opt.kill_pid && !killed && acked > 0 &&
		    now_ms() - t0 >= opt.kill_after_ms) {
			if (kill((pid_t)opt.kill_pid, SIGKILL) == -1) {
				fprintf(stderr, "loadgen: kill %ld: %s\n",
				    opt.kill_pid, strerror(errno));
				rc = 1;
			}
			killed = 1;
			acked_at_kill = acked;
			inflight_at_kill = inflight;
		}
		if (now_ms() > deadline) {
			timed_out = 1;
			break;
		}
		curl_multi_perform(multi, &running);
		while ((cm = curl_multi_info_read(multi, &left)) != NULL) {
			struct xfer *x;
			long status = 0;

			if (cm->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(cm->easy_handle, CURLINFO_PRIVATE,
			    (char **)&x);
			curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE,
			    &status);
			if (cm->data.result == CURLE_OK && status >= 200 &&
			    status <= 299) {
				char sid[SID_LEN + 1];
				x->m->acked = 1;
				acked++;
				sid_of(x->m->num, sid, sizeof sid);
				fprintf(fa, "%s\n", sid);
				/* The answer a retry gets must be the reply
				 * too, not an empty one. */
				if (strstr(x->answer, "<Message>") == NULL)
					noreply++;
			} else {
				if (cm->data.result != CURLE_OK)
					gone = 1;	/* the server died */
				if (opt.verbose)
					fprintf(stderr, "loadgen: %ld: %s %ld\n",
					    x->m->num, curl_easy_strerror(
					    cm->data.result), status);
			}
			curl_multi_remove_handle(multi, x->easy);
			curl_slist_free_all(x->headers);
			x->headers = NULL;
			idle[nidle++] = x;
			inflight--;
		}
		if (inflight > 0)
			curl_multi_poll(multi, NULL, 0, 50, NULL);
	}
	if (opt.kill_pid && !killed) {
		/* No ack in time, or the load ran out first: kill all the
		 * same, so that the test goes on, and say so. */
		kill((pid_t)opt.kill_pid, SIGKILL);
		acked_at_kill = acked;
		inflight_at_kill = inflight;
	}

	/* Owed to the next run: everything tried and not acknowledged, and
	 * every resend not tried yet.  A new message never tried was never
	 * sent, so it is no one's. */
	long unacked = 0;
	for (size_t i = 0; i < nmsgs; i++) {
		char sid[SID_LEN + 1];
		if (msgs[i].acked || (!msgs[i].resend && msgs[i].tries == 0))
			continue;
		sid_of(msgs[i].num, sid, sizeof sid);
		fprintf(fu, "%s\n", sid);
		unacked++;
	}
	if (fclose(fa) != 0 || fclose(fu) != 0)
		rc = 1;
	printf("sent %ld acked %ld unacked %ld noreply %ld acked_at_kill %ld "
	    "inflight_at_kill %ld timed_out %d\n", sent, acked, unacked,
	    noreply, acked_at_kill, inflight_at_kill, timed_out);
	for (long i = 0; i < opt.conc; i++) {
		curl_multi_remove_handle(multi, xfers[i].easy);
		curl_easy_cleanup(xfers[i].easy);
		curl_slist_free_all(xfers[i].headers);
	}
	curl_multi_cleanup(multi);
	curl_global_cleanup();
	free(xfers);
	free(idle);
	free(msgs);
	return rc;
}
