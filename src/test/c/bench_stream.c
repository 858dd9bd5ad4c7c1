/*
 * The flat API (what Java calls) driven straight from C, over a file, with
 * the settings the JMH benchmarks use, so the Java-to-C overhead can be read
 * off as the difference:
 *   64 KiB chunks: MB/s of wds_deflate (levels 1 and 6) and wds_inflate;
 *   512 B calls:   ns per wds_deflate(NO_FLUSH) call.
 * Usage: bench_stream FILE [SECONDS]   (make bench builds it)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "warpdrive/wd_stream.h"

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int64_t deflate_all(intptr_t s, const unsigned char *in, size_t n, size_t chunk,
			   int level_finish)
{
	unsigned char *o = malloc(65536);
	size_t total = 0;

	wds_reset(s);
	for (size_t off = 0; off < n; off += chunk) {
		size_t k = n - off < chunk ? n - off : chunk;
		int last = off + k == n;
		size_t used = 0;

		for (;;) {
			int64_t r = wds_deflate(s, (intptr_t)(in + off + used), (int)(k - used), (intptr_t)o,
						65536, last && level_finish ? 4 : 0, 0);
			used += (size_t)WDS_READ(r);
			total += (size_t)WDS_WRITTEN(r);
			if (r & WDS_FINISHED)
				break;
			if (used == k && (!last || !level_finish) && WDS_WRITTEN(r) < 65536)
				break;
		}
	}
	free(o);
	return (int64_t)total;
}

int main(int argc, char **argv)
{
	FILE *f;
	long n;
	unsigned char *in, *packed;
	double secs = argc > 2 ? atof(argv[2]) : 3.0;
	int levels[] = { 1, 6 };

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE [SECONDS]\n", argv[0]);
		return 2;
	}
	f = fopen(argv[1], "rb");
	if (!f) {
		perror(argv[1]);
		return 1;
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	in = malloc((size_t)n);
	packed = malloc((size_t)n + (size_t)n / 4 + 65536);
	if (fread(in, 1, (size_t)n, f) != (size_t)n)
		return 1;
	fclose(f);
	wds_init();

	for (int i = 0; i < 2; i++) {
		intptr_t s = wds_open(0, 1, levels[i], 0);
		int reps = 0;
		double t0 = now(), t;
		int64_t c = 0;

		do {
			c = deflate_all(s, in, (size_t)n, 65536, 1);
			reps++;
			t = now() - t0;
		} while (t < secs);
		printf("deflate level %d, 64 KiB chunks: %7.1f MB/s  (%s, ratio %.3f)\n", levels[i],
		       (double)n * reps / t / 1e6, wds_engine(s), (double)n / (double)c);
		wds_close(s);
	}
	{
		/* compress once with zlib framing at level 6, then inflate in chunks */
		intptr_t s = wds_open(0, 1, 6, 0);
		size_t cl = 0, off = 0;
		unsigned char *out = malloc(65536);
		int reps = 0;
		double t0, t;

		for (;;) {
			int64_t r = wds_deflate(s, (intptr_t)(in + off), (int)((size_t)n - off),
						(intptr_t)(packed + cl), 1 << 20, 4, 0);
			off += (size_t)WDS_READ(r);
			cl += (size_t)WDS_WRITTEN(r);
			if (r & WDS_FINISHED)
				break;
		}
		wds_close(s);
		s = wds_open(1, 1, -1, 0);
		t0 = now();
		do {
			size_t ip = 0, got = 0;

			wds_reset(s);
			for (;;) {
				size_t k = cl - ip < 65536 ? cl - ip : 65536;
				int64_t r = wds_inflate(s, (intptr_t)(packed + ip), (int)k, (intptr_t)out, 65536);

				ip += (size_t)WDS_READ(r);
				got += (size_t)WDS_WRITTEN(r);
				if (r & (WDS_FINISHED | WDS_ERROR))
					break;
			}
			if (got != (size_t)n) {
				fprintf(stderr, "inflate gave %zu of %ld\n", got, n);
				return 1;
			}
			reps++;
			t = now() - t0;
		} while (t < secs);
		printf("inflate (level-6 stream), 64 KiB chunks: %7.1f MB/s  (%s)\n",
		       (double)n * reps / t / 1e6, wds_engine(s));
		wds_close(s);
		free(out);
	}
	for (int i = 0; i < 2; i++) {
		intptr_t s = wds_open(0, 1, levels[i], 0);
		unsigned char *out = malloc(1 << 17);
		long calls = 0;
		size_t pos = 0, fed = 0;
		double t0 = now(), t;

		do {
			for (int k = 0; k < 1000; k++) {
				if (pos + 512 > (size_t)n)
					pos = 0;
				if (fed > (64u << 20)) {
					wds_reset(s);
					fed = 0;
				}
				wds_deflate(s, (intptr_t)(in + pos), 512, (intptr_t)out, 1 << 17, 0, 0);
				pos += 512;
				fed += 512;
			}
			calls += 1000;
			t = now() - t0;
		} while (t < secs);
		printf("deflate level %d, 512 B calls: %7.0f ns/call\n", levels[i], t * 1e9 / (double)calls);
		wds_close(s);
		free(out);
	}
	free(in);
	free(packed);
	return 0;
}
