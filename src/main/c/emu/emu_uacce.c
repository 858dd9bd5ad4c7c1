/* Placeholder until the emulated UACCE device lands (issue 5). */
#include "../lib/wd_internal.h"

int wd_emu_ensure(void)
{
	return *wd_cfg_str("emulate") ? -ENOTSUP : 0;
}
