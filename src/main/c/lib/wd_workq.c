/* Worker threads for software async requests.  Started on first use,
 * never stopped: they sleep on a condition variable when idle. */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "wd_internal.h"
#include "wd_workq.h"

#define WORKQ_MAX_THREADS 64

static pthread_mutex_t wq_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wq_cond = PTHREAD_COND_INITIALIZER;
static struct wd_work *wq_head, *wq_tail;
static int wq_threads;

static void *worker(void *unused)
{
	(void)unused;
	for (;;) {
		struct wd_work *w;

		pthread_mutex_lock(&wq_lock);
		while (!wq_head)
			pthread_cond_wait(&wq_cond, &wq_lock);
		w = wq_head;
		wq_head = w->next;
		if (!wq_head)
			wq_tail = NULL;
		pthread_mutex_unlock(&wq_lock);
		w->next = NULL;
		w->fn(w);
	}
	return NULL;
}

int wd_workq_threads(void)
{
	long n = wd_cfg_long("threads", 0);

	if (n <= 0)
		n = sysconf(_SC_NPROCESSORS_ONLN);
	if (n <= 0)
		n = 1;
	return (int)WD_MIN(n, WORKQ_MAX_THREADS);
}

static int start_workers_locked(void)
{
	int want = wd_workq_threads();

	while (wq_threads < want) {
		pthread_t t;
		pthread_attr_t attr;
		int ret;

		pthread_attr_init(&attr);
		pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
		ret = pthread_create(&t, &attr, worker, NULL);
		pthread_attr_destroy(&attr);
		if (ret)
			return wq_threads ? 0 : -ret;
		wq_threads++;
	}
	return 0;
}

int wd_workq_submit(struct wd_work *w)
{
	int ret;

	pthread_mutex_lock(&wq_lock);
	ret = start_workers_locked();
	if (!ret) {
		w->next = NULL;
		if (wq_tail)
			wq_tail->next = w;
		else
			wq_head = w;
		wq_tail = w;
		pthread_cond_signal(&wq_cond);
	}
	pthread_mutex_unlock(&wq_lock);
	return ret;
}
