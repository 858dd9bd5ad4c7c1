/* A small process-wide pool of worker threads for asynchronous requests
 * served in software (the seed's async mode needs somewhere to run). */
#ifndef WARPDRIVE_WD_WORKQ_H
#define WARPDRIVE_WD_WORKQ_H

struct wd_work {
	void (*fn)(struct wd_work *w);
	struct wd_work *next;
};

/* Queues w; fn runs on a worker.  0 or -errno (-EAGAIN: no thread). */
int wd_workq_submit(struct wd_work *w);
/* Number of worker threads (config "threads", default: online CPUs). */
int wd_workq_threads(void);

#endif
