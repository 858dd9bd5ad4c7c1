package io.warpdrive.zip.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The agent's option string. */
class AgentOptionsTest {

    @Test
    void noOptionsSelectEveryClassQuietly() {
        for (String none : new String[] {null, "", " ; ;"}) {
            AgentOptions o = AgentOptions.parse(none);
            assertTrue(o.selects("com/acme/App"));
            assertTrue(o.selects("org/apache/commons/compress/compressors/gzip/GzipCompressorOutputStream"));
            assertFalse(o.verbose());
            assertFalse(o.off());
            assertTrue(o.warnings().isEmpty(), o.warnings().toString());
        }
    }

    @Test
    void includeSelectsAPackageAndItsSubpackagesButNotLookalikes() {
        AgentOptions o = AgentOptions.parse("include=com.acme");
        assertTrue(o.selects("com/acme/App"));
        assertTrue(o.selects("com/acme/io/Gz"));
        assertFalse(o.selects("com/acmecorp/App"));
        assertFalse(o.selects("org/apache/commons/compress/archivers/zip/StreamCompressor"));
    }

    @Test
    void includeNamesAClassExactly() {
        AgentOptions o = AgentOptions.parse("include=com.acme.App");
        assertTrue(o.selects("com/acme/App"));
        assertFalse(o.selects("com/acme/Apps"));
        assertFalse(o.selects("com/acme/Other"));
    }

    @Test
    void excludeWinsOverIncludeAndListsAddUp() {
        AgentOptions o = AgentOptions.parse("include=com.acme,org.example;exclude=com.acme.legacy;include=net.x");
        assertTrue(o.selects("com/acme/App"));
        assertTrue(o.selects("org/example/Y"));
        assertTrue(o.selects("net/x/Z"));
        assertFalse(o.selects("com/acme/legacy/Old"));
        assertFalse(o.selects("de/other/W"));
    }

    @Test
    void excludeAloneKeepsEverythingElse() {
        AgentOptions o = AgentOptions.parse("exclude=org.apache.commons.compress");
        assertFalse(o.selects("org/apache/commons/compress/compressors/gzip/GzipCompressorOutputStream"));
        assertTrue(o.selects("com/acme/App"));
    }

    @Test
    void flagsAndBlanksAndWildcardsAreRead() {
        AgentOptions o = AgentOptions.parse(" verbose ; include = com.acme.* , org/example/ ; OFF");
        assertTrue(o.verbose());
        assertTrue(o.off());
        assertTrue(o.selects("com/acme/A"));
        assertTrue(o.selects("org/example/B"));
        assertFalse(o.selects("com/other/C"));
        assertTrue(o.warnings().isEmpty(), o.warnings().toString());
        assertFalse(AgentOptions.parse("verbose=false").verbose());
    }

    @Test
    void unknownOrEmptyOptionsAreReportedAndIgnored() {
        AgentOptions o = AgentOptions.parse("exlude=com.acme;include=;verbose=loud");
        assertEquals(3, o.warnings().size(), o.warnings().toString());
        assertTrue(o.warnings().get(0).contains("exlude=com.acme"), o.warnings().get(0));
        assertTrue(o.selects("com/acme/App"), "the misspelt exclude must not exclude");
        assertTrue(o.verbose());
    }

    @Test
    void describesItselfInOptionSyntax() {
        assertEquals("include=com.acme;exclude=com.acme.old;verbose",
                AgentOptions.parse("verbose;exclude=com.acme.old;include=com.acme").toString());
        assertEquals("include=(all);exclude=(none)", AgentOptions.parse(null).toString());
    }
}
