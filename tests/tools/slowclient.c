/*
 * slowclient -- slowloris for the tests: N connections that send a
 * request line and then one header byte at a time, and a report of what
 * the server did to each.
 *
 *   slowclient --port P [--count N] [--interval S] [--duration S]
 *              [--ready FILE]
 *
 * Connects to 127.0.0.1:P, N times (default 12), as fast as it can; then
 * writes "connected N" to --ready, if given.  Every --interval seconds
 * (default 1) each open connection gets one more byte, until --duration
 * seconds (default 12) have passed.  Prints one line:
 *   refused N cut N held N
 * refused: closed by the server within 500 ms of connecting; cut: closed
 * later; held: still open at the end.  Exits 0, or 2 on bad arguments.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAXCONN	256

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	int port = 0, count = 12, fds[MAXCONN];
	double interval = 1, duration = 12, opened[MAXCONN], closed[MAXCONN];
	const char *ready = NULL;
	static const char line[] = "POST /webhooks/fk HTTP/1.1\r\nHost: x\r\n";

	for (int i = 1; i < argc; i++) {
		if (i + 1 >= argc)
			goto usage;
		if (!strcmp(argv[i], "--port"))
			port = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--count"))
			count = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--interval"))
			interval = atof(argv[++i]);
		else if (!strcmp(argv[i], "--duration"))
			duration = atof(argv[++i]);
		else if (!strcmp(argv[i], "--ready"))
			ready = argv[++i];
		else
			goto usage;
	}
	if (port <= 0 || port > 65535 || count < 1 || count > MAXCONN ||
	    interval <= 0 || duration <= 0)
		goto usage;
	signal(SIGPIPE, SIG_IGN);

	struct sockaddr_in sin = { .sin_family = AF_INET,
	    .sin_port = htons((uint16_t)port) };
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (int i = 0; i < count; i++) {
		fds[i] = socket(AF_INET, SOCK_STREAM, 0);
		opened[i] = now();
		closed[i] = 0;
		if (fds[i] == -1 || connect(fds[i], (struct sockaddr *)&sin,
		    sizeof sin) == -1 || write(fds[i], line, sizeof line - 1) !=
		    (ssize_t)(sizeof line - 1)) {
			closed[i] = now();
			if (fds[i] != -1)
				close(fds[i]);
			fds[i] = -1;
		}
	}
	if (ready) {
		FILE *fp = fopen(ready, "w");
		if (fp) {
			fprintf(fp, "connected %d\n", count);
			fclose(fp);
		}
	}

	double start = now(), next = start + interval;
	while (now() - start < duration) {
		struct pollfd pfd[MAXCONN];
		int n = 0, idx[MAXCONN];
		for (int i = 0; i < count; i++)
			if (fds[i] != -1) {
				pfd[n].fd = fds[i];
				pfd[n].events = POLLIN;
				idx[n++] = i;
			}
		if (n == 0)
			break;
		int wait = (int)((next - now()) * 1000);
		if (poll(pfd, (nfds_t)n, wait > 0 ? wait : 0) > 0)
			for (int k = 0; k < n; k++) {
				char b[512];
				if (!(pfd[k].revents & (POLLIN | POLLHUP | POLLERR)))
					continue;
				ssize_t r = read(pfd[k].fd, b, sizeof b);
				if (r > 0)
					continue;	/* an answer: keep reading */
				if (r < 0 && errno == EINTR)
					continue;
				closed[idx[k]] = now();
				close(pfd[k].fd);
				fds[idx[k]] = -1;
			}
		if (now() >= next) {
			for (int i = 0; i < count; i++)
				if (fds[i] != -1 && write(fds[i], "X", 1) != 1) {
					closed[i] = now();
					close(fds[i]);
					fds[i] = -1;
				}
			next += interval;
		}
	}
	int refused = 0, cut = 0, held = 0;
	for (int i = 0; i < count; i++) {
		if (fds[i] != -1) {
			held++;
			close(fds[i]);
		} else if (closed[i] - opened[i] < 0.5)
			refused++;
		else
			cut++;
	}
	printf("refused %d cut %d held %d\n", refused, cut, held);
	return 0;
usage:
	fprintf(stderr, "usage: slowclient --port P [--count N] [--interval S] "
	    "[--duration S] [--ready FILE]\n");
	return 2;
}
