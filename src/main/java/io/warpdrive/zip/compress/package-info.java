/**
 * Apache commons-compress integration: gzip and DEFLATE compressor streams
 * that take commons-compress's {@code GzipParameters} and
 * {@code DeflateParameters}, and a {@code CompressorStreamProvider} that
 * offers them to {@code CompressorStreamFactory} as {@code warpdrive-gz}
 * and {@code warpdrive-deflate}. Needs commons-compress on the class path
 * (an optional dependency of this library).
 */
package io.warpdrive.zip.compress;
