package io.warpdrive.zip.cli;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An output file that appears whole or not at all: data goes to a hidden
 * temporary file in the target's directory (so the rename cannot cross file
 * systems), which is synced, given the input's permissions, owner and
 * times, and renamed over the target only by {@link #commit}. Closing
 * without a commit deletes it, and so does a shutdown hook when the JVM is
 * interrupted (Ctrl-C, SIGTERM) in the middle.
 */
final class SafeOutput implements Closeable {
    private static final Set<Path> PENDING = ConcurrentHashMap.newKeySet();
    /** Long names would make the temporary name exceed NAME_MAX (255). */
    private static final int MAX_PREFIX = 200;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (Path p : PENDING) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // exiting anyway; nothing better to do
                }
            }
        }, "wdzip-cleanup"));
    }

    private final Path target;
    private final Path tmp;
    private final FileChannel channel;
    private final OutputStream stream;
    private boolean committed;

    private SafeOutput(Path target, Path tmp, FileChannel channel) {
        this.target = target;
        this.tmp = tmp;
        this.channel = channel;
        this.stream = Channels.newOutputStream(channel);
    }

    /** Creates the temporary file beside {@code target}. */
    static SafeOutput create(Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        String name = target.getFileName().toString();
        String prefix = "." + (name.length() > MAX_PREFIX ? "wdzip" : name) + ".";
        Path tmp = Files.createTempFile(dir, prefix, ".wdzip-tmp");
        PENDING.add(tmp);
        try {
            return new SafeOutput(target, tmp, FileChannel.open(tmp, StandardOpenOption.WRITE));
        } catch (IOException | RuntimeException e) {
            discard(tmp);
            throw e;
        }
    }

    /** Where to write; unbuffered, so write in large chunks. */
    OutputStream stream() {
        return stream;
    }

    /**
     * Syncs and closes the file, gives it {@code like}'s owner, permissions
     * and access time, the modification time {@code mtime} (null: {@code like}'s),
     * and renames it to the target, replacing any file there.
     */
    void commit(PosixFileAttributes like, FileTime mtime) throws IOException {
        channel.force(true);
        channel.close();
        if (like != null) {
            copyAttributes(like, mtime);
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        committed = true;
        PENDING.remove(tmp);
    }

    private void copyAttributes(PosixFileAttributes like, FileTime mtime) throws IOException {
        // Owner first: chown may clear mode bits. Only root may give a file away; gzip ignores failure too.
        try {
            Files.setOwner(tmp, like.owner());
            Files.getFileAttributeView(tmp, java.nio.file.attribute.PosixFileAttributeView.class)
                    .setGroup(like.group());
        } catch (IOException | UnsupportedOperationException e) {
            // keep ours
        }
        Files.setPosixFilePermissions(tmp, like.permissions());
        Files.getFileAttributeView(tmp, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                .setTimes(mtime != null ? mtime : like.lastModifiedTime(), like.lastAccessTime(), null);
    }

    /** Deletes the temporary file unless it was committed. */
    @Override
    public void close() throws IOException {
        if (!committed) {
            try {
                channel.close();
            } finally {
                discard(tmp);
            }
        }
    }

    private static void discard(Path tmp) throws IOException {
        try {
            Files.deleteIfExists(tmp);
        } finally {
            PENDING.remove(tmp);
        }
    }
}
