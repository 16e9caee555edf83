/*
 * faultfs.c -- an LD_PRELOAD shim that makes a disk fail, for the fault
 * tests (tests/cli/t840-faults.sh).  While the file named by
 * FAULTFS_CONTROL exists, write, pwrite, writev, pwritev, fsync and
 * fdatasync on a file whose path starts with FAULTFS_PATH (the database,
 * its -wal and -journal; never its -shm, which SQLite maps in memory and
 * keeps) fail with the errno the control file names: "ENOSPC" (a full
 * disk, the default) or "EROFS" (a file system remounted read-only).
 * Whatever else the process writes goes through.
 *
 * It works unprivileged and as root alike (chmod does not stop root), and
 * the gateway sees what the kernel would give it: SQLite's error path, the
 * writer's health, its recovery.  Built without sanitisers: under ASan,
 * run with ASAN_OPTIONS=verify_asan_link_order=0, and this shim's calls
 * go on to ASan's interceptors, then libc.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

static const char *control, *prefix;

__attribute__((constructor)) static void
faultfs_init(void)
{
	control = getenv("FAULTFS_CONTROL");
	prefix = getenv("FAULTFS_PATH");
}

/* The errno fd's writes get now, or 0. */
static int
faultfs_errno(int fd)
{
	char link[64], path[4096], what[16];
	ssize_t n;
	int c, e;

	if (control == NULL || prefix == NULL || *prefix == '\0')
		return 0;
	if ((c = open(control, O_RDONLY | O_CLOEXEC)) == -1)
		return 0;
	memset(what, 0, sizeof what);
	n = read(c, what, sizeof what - 1);
	close(c);
	e = n >= 5 && strncmp(what, "EROFS", 5) == 0 ? EROFS : ENOSPC;
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	if ((n = readlink(link, path, sizeof path - 1)) <= 0)
		return 0;
	path[n] = '\0';
	n = (ssize_t)strlen(prefix);
	if (strncmp(path, prefix, (size_t)n) != 0 ||
	    strcmp(path + n, "-shm") == 0)
		return 0;
	return e;
}

#define REAL(name) \
	static __typeof__(name) *real_##name; \
	if (real_##name == NULL) \
		real_##name = (__typeof__(name) *)dlsym(RTLD_NEXT, #name)

ssize_t
write(int fd, const void *b, size_t n)
{
	REAL(write);
	int e = faultfs_errno(fd);
	if (e) {
		errno = e;
		return -1;
	}
	return real_write(fd, b, n);
}

ssize_t
pwrite(int fd, const void *b, size_t n, off_t off)
{
	REAL(pwrite);
	int e = faultfs_errno(fd);
	if (e) {
		errno = e;
		return -1;
	}
	return real_pwrite(fd, b, n, off);
}

ssize_t
pwrite64(int fd, const void *b, size_t n, off64_t off)
{
	REAL(pwrite64);
	int e = faultfs_errno(fd);
	if (e) {
		errno = e;
		return -1;
	}
	return real_pwrite64(fd, b, n, off);
}

ssize_t
writev(int fd, const struct iovec *v, int n)
{
	REAL(writev);
	int e = faultfs_errno(fd);
	if (e) {
		errno = e;
		return -1;
	}
	return real_writev(fd, v, n);
}

ssize_t
pwritev(int fd, const struct iovec *v, int n, off_t off)
{
	REAL(pwritev);
	int e = faultfs_errno(fd);
	if (e) {
		errno = e;
		return -1;
	}
	return real_pwritev(fd, v, n, off);
}

int
fsync(int fd)
{
	REAL(fsync);
	int e = faultfs_errno(fd);
	if (e) {
		errno = e;
		return -1;
	}
	return real_fsync(fd);
}

int
fdatasync(int fd)
{
	REAL(fdatasync);
	int e = faultfs_errno(fd);
	if (e) {
		errno = e;
		return -1;
	}
	return real_fdatasync(fd);
}
