/*
 * branch_index.c -- the nearest active branch: a k-d tree over the
 * branches' points as vectors on the unit sphere, and the plain scan it
 * must agree with.
 *
 * Straight-line (chord) distance between unit vectors grows with
 * great-circle distance, and no coordinate differs by more than the
 * chord, so a subtree whose splitting plane lies further from the point
 * than the best chord so far can hold no better branch.  Inside that
 * bound every branch is measured with the same haversine as the scan,
 * from the same doubles, and compared the same way, so the two give the
 * same branch, ties included.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "branch.h"
#include "distance.h"
#include "util.h"

struct branch_node {
	double	 v[3];		/* the branch's point on the unit sphere */
	double	 lat, lon;	/* as the directory holds them */
	size_t	 branch;	/* index into the directory's branches */
	int	 axis;		/* splits its subtree on v[axis] */
};

/*
 * Pruning keeps this much room, in chord units (6 mm at the surface):
 * far beyond the rounding of either formula (about 1e-15), so a branch
 * that the haversine puts at the best distance is never cut off.
 */
#define SLACK	1e-9

static int
searchable(const struct branch *b)
{
	return b->active && b->has_coords == BRANCH_COORDS;
}

/* qsort has no context argument: one comparator per axis.  The branch
 * index breaks ties so that a build is the same every time. */
#define AXIS_CMP(name, k)						\
static int								\
name(const void *a, const void *b)					\
{									\
	const struct branch_node *x = a, *y = b;			\
									\
	if (x->v[k] != y->v[k])						\
		return x->v[k] < y->v[k] ? -1 : 1;			\
	return x->branch < y->branch ? -1 : x->branch > y->branch;	\
}
AXIS_CMP(cmp_x, 0)
AXIS_CMP(cmp_y, 1)
AXIS_CMP(cmp_z, 2)

/* Split [lo, hi) at its median on the axis it spreads most along: the
 * branches of one country sit on a small cap, far from a cube. */
static void
build(struct branch_node *nodes, size_t lo, size_t hi)
{
	static int (*const cmp[3])(const void *, const void *) = {
		cmp_x, cmp_y, cmp_z,
	};
	double min[3], max[3];
	size_t mid;
	int axis = 0;

	if (hi - lo < 1)
		return;
	for (int k = 0; k < 3; k++)
		min[k] = max[k] = nodes[lo].v[k];
	for (size_t i = lo + 1; i < hi; i++)
		for (int k = 0; k < 3; k++) {
			min[k] = fmin(min[k], nodes[i].v[k]);
			max[k] = fmax(max[k], nodes[i].v[k]);
		}
	for (int k = 1; k < 3; k++)
		if (max[k] - min[k] > max[axis] - min[axis])
			axis = k;
	qsort(nodes + lo, hi - lo, sizeof *nodes, cmp[axis]);
	mid = lo + (hi - lo) / 2;
	nodes[mid].axis = axis;
	build(nodes, lo, mid);
	build(nodes, mid + 1, hi);
}

void
branch_index_build(struct branch_index *ix, const struct branch *branches,
    size_t n)
{
	size_t k = 0;

	branch_index_free(ix);
	ix->built = 1;
	for (size_t i = 0; i < n; i++)
		k += searchable(&branches[i]);
	if (k == 0)
		return;
	ix->nodes = xcalloc(k, sizeof *ix->nodes);
	for (size_t i = 0; i < n; i++) {
		if (!searchable(&branches[i]))
			continue;
		struct branch_node *nd = &ix->nodes[ix->n++];
		nd->lat = branches[i].lat;
		nd->lon = branches[i].lon;
		nd->branch = i;
		distance_vector(nd->lat, nd->lon, nd->v);
	}
	build(ix->nodes, 0, ix->n);
}

void
branch_index_free(struct branch_index *ix)
{
	free(ix->nodes);
	memset(ix, 0, sizeof *ix);
}

struct search {
	const struct branch_node *nodes;
	double	 q[3], lat, lon;
	double	 radius_km;
	double	 bound;		/* chord beyond which nothing can win */
	size_t	 best;		/* SIZE_MAX: none yet */
	double	 best_km;
};

static void
visit(struct search *s, const struct branch_node *nd)
{
	double c2 = 0, lim = s->bound + SLACK, km;

	for (int k = 0; k < 3; k++)
		c2 += (s->q[k] - nd->v[k]) * (s->q[k] - nd->v[k]);
	if (c2 > lim * lim)
		return;
	km = distance_km(s->lat, s->lon, nd->lat, nd->lon);
	if (!(km <= s->radius_km))
		return;
	/* As the scan decides: nearer wins, then the first in order. */
	if (s->best != SIZE_MAX && (km > s->best_km ||
	    (km == s->best_km && nd->branch > s->best)))
		return;
	s->best = nd->branch;
	s->best_km = km;
	s->bound = distance_chord(km);
}

static void
search(struct search *s, size_t lo, size_t hi)
{
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct branch_node *nd = &s->nodes[mid];
		double d = s->q[nd->axis] - nd->v[nd->axis];

		visit(s, nd);
		/* The side the point is on first: it tightens the bound. */
		if (d < 0) {
			search(s, lo, mid);
			lo = mid + 1;
		} else {
			search(s, mid + 1, hi);
			hi = mid;
		}
		if (fabs(d) > s->bound + SLACK)
			return;
	}
}

const struct branch *
branch_nearest(const struct directory *dir, double lat, double lon,
    double radius_km, double *km)
{
	struct search s = {
		.nodes = dir->near.nodes,
		.lat = lat,
		.lon = lon,
		.radius_km = radius_km,
		.bound = distance_chord(radius_km),
		.best = SIZE_MAX,
	};

	if (!dir->near.built)
		return branch_nearest_scan(dir, lat, lon, radius_km, km);
	if (!(radius_km >= 0))
		return NULL;
	distance_vector(lat, lon, s.q);
	search(&s, 0, dir->near.n);
	if (s.best == SIZE_MAX)
		return NULL;
	*km = s.best_km;
	return &dir->branches[s.best];
}

const struct branch *
branch_nearest_scan(const struct directory *dir, double lat, double lon,
    double radius_km, double *km)
{
	const struct branch *best = NULL;
	double best_km = 0;

	for (size_t i = 0; i < dir->nbranches; i++) {
		const struct branch *b = &dir->branches[i];
		if (!searchable(b))
			continue;
		double d = distance_km(lat, lon, b->lat, b->lon);
		if (d <= radius_km && (best == NULL || d < best_km)) {
			best = b;
			best_km = d;
		}
	}
	if (best != NULL)
		*km = best_km;
	return best;
}
