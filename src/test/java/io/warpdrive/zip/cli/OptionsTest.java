package io.warpdrive.zip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class OptionsTest {

    @Test
    void defaultsAreGzips() throws Exception {
        Options o = Options.parse(new String[0]);
        assertEquals(6, o.level);
        assertEquals(".gz", o.suffix);
        assertFalse(o.toStdout || o.decompress || o.test || o.keep || o.force || o.recursive || o.quiet);
        assertNull(o.name);
        assertTrue(o.files.isEmpty());
        assertTrue(o.writesStdout());
    }

    @Test
    void shortFlagsGroupAndTheLastLevelWins() throws Exception {
        Options o = Options.parse(new String[] {"-dc1", "-k9", "-rfv", "a", "b"});
        assertTrue(o.decompress && o.toStdout && o.keep && o.recursive && o.force);
        assertEquals(9, o.level);
        assertEquals(1, o.verbose);
        assertEquals(List.of("a", "b"), o.files);
    }

    @Test
    void longFlagsMatchGzips() throws Exception {
        Options o = Options.parse(new String[] {"--stdout", "--uncompress", "--keep", "--force", "--recursive",
            "--fast", "--test", "--no-name", "--suffix=.z"});
        assertTrue(o.toStdout && o.decompress && o.keep && o.force && o.recursive && o.test);
        assertEquals(1, o.level);
        assertEquals(Boolean.FALSE, o.name);
        assertEquals(".z", o.suffix);
        assertEquals(9, Options.parse(new String[] {"--best"}).level);
        assertEquals(".x", Options.parse(new String[] {"--suffix", ".x"}).suffix);
        assertEquals(".y", Options.parse(new String[] {"-S.y"}).suffix);
        assertEquals(".w", Options.parse(new String[] {"-S", ".w", "f"}).suffix);
        assertEquals(Boolean.TRUE, Options.parse(new String[] {"-N"}).name);
    }

    @Test
    void quietAndVerboseCancelEachOther() throws Exception {
        Options o = Options.parse(new String[] {"-v", "-q"});
        assertTrue(o.quiet);
        assertEquals(0, o.verbose);
        o = Options.parse(new String[] {"-q", "-vv"});
        assertFalse(o.quiet);
        assertEquals(2, o.verbose);
    }

    @Test
    void doubleDashEndsOptionsAndLoneDashIsStdin() throws Exception {
        Options o = Options.parse(new String[] {"-", "--", "-d", "devices"});
        assertFalse(o.decompress);
        assertEquals(List.of("-", "-d", "devices"), o.files);
        assertFalse(o.writesStdout());
    }

    @Test
    void unknownOptionsAndMissingArgumentsAreUsageErrors() {
        assertEquals("invalid option -- 'x'",
                assertThrows(Options.UsageException.class, () -> Options.parse(new String[] {"-kx"})).getMessage());
        assertThrows(Options.UsageException.class, () -> Options.parse(new String[] {"--frobnicate"}));
        assertThrows(Options.UsageException.class, () -> Options.parse(new String[] {"-S"}));
        assertThrows(Options.UsageException.class, () -> Options.parse(new String[] {"--suffix"}));
        assertThrows(Options.UsageException.class, () -> Options.parse(new String[] {"--keep=yes"}));
        assertThrows(Options.UsageException.class, () -> Options.parse(new String[] {"-S", "a/b"}));
        assertThrows(Options.UsageException.class, () -> Options.parse(new String[] {"--suffix="}));
    }
}
