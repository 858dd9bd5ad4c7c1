package io.warpdrive.zip;

import java.util.List;

/**
 * One UACCE accelerator as the system describes it (sysfs).
 *
 * @param name               device name, e.g. {@code hisi_zip-0}
 * @param id                 UACCE id
 * @param numaNode           NUMA node (0 when the system gives none)
 * @param availableInstances free hardware queues
 * @param sva                shared virtual addressing; false means NOSVA (needs root)
 * @param api                the driver interface, e.g. {@code hisi_qm_v3}
 * @param algorithms         what it computes, e.g. [deflate, zlib, gzip]
 * @param isolated           taken out of service after errors
 */
public record Accelerator(String name, int id, int numaNode, int availableInstances, boolean sva,
                          String api, List<String> algorithms, boolean isolated) {
}
