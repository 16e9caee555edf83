/*
 * distance.c -- see distance.h.
 */
#include <math.h>

#include "distance.h"

#define RAD	(M_PI / 180)

double
distance_km(double lat1, double lon1, double lat2, double lon2)
{
	double dlat = (lat2 - lat1) * RAD, dlon = (lon2 - lon1) * RAD;
	double a = sin(dlat / 2) * sin(dlat / 2) + cos(lat1 * RAD) *
	    cos(lat2 * RAD) * sin(dlon / 2) * sin(dlon / 2);

	return 2 * DISTANCE_EARTH_KM * asin(fmin(1, sqrt(a)));
}

void
distance_vector(double lat, double lon, double v[3])
{
	double c = cos(lat * RAD);

	v[0] = c * cos(lon * RAD);
	v[1] = c * sin(lon * RAD);
	v[2] = sin(lat * RAD);
}

double
distance_chord(double km)
{
	if (!(km > 0))
		return 0;
	if (km >= M_PI * DISTANCE_EARTH_KM)
		return 2;
	return 2 * sin(km / (2 * DISTANCE_EARTH_KM));
}
