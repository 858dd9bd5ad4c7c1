/**
 * The Java agent ({@code -javaagent:warpdrive-zip-VERSION-all.jar}) that
 * turns java.util.zip object creations in unchanged application and
 * library code into the Hw classes; see {@link io.warpdrive.zip.agent.Agent}
 * for its options.
 */
package io.warpdrive.zip.agent;
