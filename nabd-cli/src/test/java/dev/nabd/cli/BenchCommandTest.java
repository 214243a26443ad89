package dev.nabd.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code nabd bench} on the bundled model: llama-bench's rows in each output format, and bad options. */
class BenchCommandTest {

    @Test
    void markdownRowsForEveryTestAndThreadCount() {
        CliTest.Result r = CliTest.nabd("bench", "-m", CliTest.bundled(), "-p", "16,32", "-n", "8", "-t", "1,2", "-r", "2");
        assertThat(r.code()).as(r.err()).isZero();
        String[] lines = r.out().split("\n");
        assertThat(lines[0]).matches("\\| model +\\| +size \\| +params \\| threads \\| +test \\| +t/s \\|");
        assertThat(lines).hasSize(2 + 2 * 3);
        assertThat(lines[2]).matches("\\| llama F32 +\\| +1\\.1\\d MiB \\| +0\\.29 M \\| +1 \\| +pp16 \\| +[0-9.]+ ± +[0-9.]+ \\|");
        assertThat(lines[4]).contains("tg8");
        assertThat(lines[7]).containsPattern("\\| +2 \\| +tg8 \\|");
        // Each thread count's model is warmed up before its tests, as a server is before its first request.
        assertThat(r.err().split("JIT warm-up [0-9]+\\.[0-9] s\n", -1)).hasSize(3);
    }

    @Test
    void depthsRunEachTestAfterThatMuchContext() {
        CliTest.Result r = CliTest.nabd("bench", "-m", CliTest.bundled(), "-p", "8", "-n", "4", "-d", "0,16", "-r", "1", "-t", "1", "-o", "csv");
        assertThat(r.code()).as(r.err()).isZero();
        String[] lines = r.out().split("\n");
        assertThat(lines).hasSize(5);
        assertThat(lines[1]).contains(",1,pp8,");
        assertThat(lines[2]).contains(",1,pp8 @ d16,");
        assertThat(lines[3]).contains(",1,tg4,");
        assertThat(lines[4]).contains(",1,tg4 @ d16,");
        CliTest.Result tooDeep = CliTest.nabd("bench", "-m", CliTest.bundled(), "-p", "8", "-n", "0", "-d", "4000");
        assertThat(tooDeep.code()).isEqualTo(1);
        assertThat(tooDeep.err()).isEqualTo("nabd: error: context 4008 is longer than the 512 positions stories260K.gguf was trained for\n");
        CliTest.Result negative = CliTest.nabd("bench", "-m", CliTest.bundled(), "-d", "-1");
        assertThat(negative.code()).isEqualTo(1);
        assertThat(negative.err()).isEqualTo("nabd: error: -r and -t must be positive, -p, -n and -d not negative\n");
    }

    @Test
    void csvAndJson() {
        CliTest.Result csv = CliTest.nabd("bench", "-m", CliTest.bundled(), "-p", "8", "-n", "0", "-r", "1", "-o", "csv");
        assertThat(csv.out().split("\n")).hasSize(2);
        assertThat(csv.out()).startsWith("model,size_bytes,params,threads,test,avg_ts,stddev_ts\n\"llama F32\",");
        CliTest.Result json = CliTest.nabd("bench", "-m", CliTest.bundled(), "-p", "0", "-n", "4", "-r", "1", "-o", "json");
        assertThat(json.out()).startsWith("[\n  {\"model\": \"llama F32\"").contains("\"test\": \"tg4\"").endsWith("}\n]\n");
    }

    @Test
    void presetsAreListedAndBadOptionsAreOneLineErrors() {
        CliTest.Result list = CliTest.nabd("bench", "--preset", "list");
        assertThat(list.out()).contains("qwen2.5-0.5b").contains("llama3.1-8b").contains("qwen3-8b")
                .contains("deepseek-r1-distill-qwen-1.5b");
        CliTest.Result unknown = CliTest.nabd("bench", "--preset", "gpt-5");
        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.err()).startsWith("nabd: error: unknown preset 'gpt-5' (presets: qwen2.5-0.5b,");
        CliTest.Result badType = CliTest.nabd("bench", "--preset", "qwen3-0.6b", "--type", "Q9_K");
        assertThat(badType.err()).isEqualTo("nabd: error: unknown type 'Q9_K'\n");
        CliTest.Result tooLong = CliTest.nabd("bench", "-m", CliTest.bundled(), "-p", "4096", "-n", "0");
        assertThat(tooLong.code()).isEqualTo(1);
        CliTest.Result nothing = CliTest.nabd("bench");
        assertThat(nothing.err()).contains("give a model with -m FILE or a preset with --preset NAME");
    }
}
