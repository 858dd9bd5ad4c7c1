package io.warpdrive.zip.hadoop.example;

import io.warpdrive.zip.EngineStats;
import io.warpdrive.zip.WarpDrive;
import io.warpdrive.zip.hadoop.WarpDriveDeflateCodec;
import io.warpdrive.zip.hadoop.WarpDriveGzipCodec;
import java.io.IOException;
import java.util.StringTokenizer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.conf.Configured;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.IntWritable;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.Mapper;
import org.apache.hadoop.mapreduce.Reducer;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;
import org.apache.hadoop.util.Tool;
import org.apache.hadoop.util.ToolRunner;

/**
 * The classic word count, with warpdrive-zip doing every compression in
 * the job: {@code .gz} and {@code .deflate} input is read through our
 * codecs (chosen by extension through {@code io.compression.codecs}), map
 * output is shuffled compressed with {@link WarpDriveDeflateCodec}, and
 * the result is written as gzip through {@link WarpDriveGzipCodec}.
 *
 * <p>Runs on a cluster ({@code hadoop jar warpdrive-zip-hadoop.jar
 * io.warpdrive.zip.hadoop.example.WordCount IN OUT}, with the core jar in
 * {@code -libjars}) or in local mode; {@code hadoop/run-example} runs it
 * with Maven's class path and no Hadoop installation. Generic options
 * ({@code -D key=value}) override the settings below.
 */
public final class WordCount extends Configured implements Tool {
    /** Emits (word, 1) for each whitespace-separated word of a line. */
    public static final class TokenMapper extends Mapper<LongWritable, Text, Text, IntWritable> {
        private static final IntWritable ONE = new IntWritable(1);
        private final Text word = new Text();

        @Override
        protected void map(LongWritable offset, Text line, Context context) throws IOException, InterruptedException {
            StringTokenizer words = new StringTokenizer(line.toString());
            while (words.hasMoreTokens()) {
                word.set(words.nextToken());
                context.write(word, ONE);
            }
        }
    }

    /** Sums the counts of a word; also the combiner. */
    public static final class SumReducer extends Reducer<Text, IntWritable, Text, IntWritable> {
        private final IntWritable sum = new IntWritable();

        @Override
        protected void reduce(Text word, Iterable<IntWritable> counts, Context context)
                throws IOException, InterruptedException {
            int total = 0;
            for (IntWritable c : counts) {
                total += c.get();
            }
            sum.set(total);
            context.write(word, sum);
        }
    }

    /**
     * Sets the keys that route a job's compression through warpdrive-zip,
     * except those the user chose (in a site file or with {@code -D}): what
     * {@code docs/hadoop.md} tells users to put in their site configuration.
     */
    public static void useWarpDrive(Configuration conf) {
        setUnlessChosen(conf, "io.compression.codecs",
                WarpDriveGzipCodec.class.getName() + "," + WarpDriveDeflateCodec.class.getName());
        setUnlessChosen(conf, "mapreduce.output.fileoutputformat.compress", "true");
        setUnlessChosen(conf, "mapreduce.output.fileoutputformat.compress.codec", WarpDriveGzipCodec.class.getName());
        setUnlessChosen(conf, "mapreduce.map.output.compress", "true");
        setUnlessChosen(conf, "mapreduce.map.output.compress.codec", WarpDriveDeflateCodec.class.getName());
    }

    /** Sets {@code key} unless a value other than Hadoop's shipped default (*-default.xml) is there. */
    private static void setUnlessChosen(Configuration conf, String key, String value) {
        String[] sources = conf.getPropertySources(key);
        if (sources != null) {
            for (String source : sources) {
                if (!source.endsWith("-default.xml")) {
                    return;
                }
            }
        }
        conf.set(key, value);
    }

    @Override
    public int run(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: WordCount [-D key=value ...] INPUT OUTPUT");
            return 2;
        }
        Configuration conf = getConf();
        useWarpDrive(conf);
        Job job = Job.getInstance(conf, "warpdrive-zip word count");
        job.setJarByClass(WordCount.class);
        job.setMapperClass(TokenMapper.class);
        job.setCombinerClass(SumReducer.class);
        job.setReducerClass(SumReducer.class);
        job.setOutputKeyClass(Text.class);
        job.setOutputValueClass(IntWritable.class);
        FileInputFormat.addInputPath(job, new Path(args[0]));
        FileOutputFormat.setOutputPath(job, new Path(args[1]));
        Class<? extends CompressionCodec> codec = FileOutputFormat.getOutputCompressorClass(job, null);
        boolean ok = job.waitForCompletion(true);
        System.out.println("word count " + (ok ? "succeeded" : "FAILED") + "; output compressed with "
                + (codec == null ? "nothing" : codec.getName()) + " in " + args[1]);
        if ("local".equals(conf.get("mapreduce.framework.name", "local"))) {
            // the tasks ran in this JVM: its counters show which engines did the work
            for (EngineStats s : WarpDrive.statistics()) {
                System.out.printf("engine %-14s streams %6d  in %,14d B  out %,14d B  fallbacks %d%n",
                        s.engine(), s.streams(), s.bytesIn(), s.bytesOut(), s.fallbacks());
            }
        }
        return ok ? 0 : 1;
    }

    /** Runs the job: {@code WordCount [-D key=value ...] INPUT OUTPUT}. */
    public static void main(String[] args) throws Exception {
        System.exit(ToolRunner.run(new Configuration(), new WordCount(), args));
    }
}
