import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The load generator of bin/bench-serve: streaming chat (or text) completions against a running nabd
 * server, at each concurrency level in turn, and a table of aggregate generated tokens per second.
 * Run with the JDK's single-file launcher: {@code java bin/BenchServe.java --url http://127.0.0.1:8080}.
 * Loopback only, bounded: every level makes {@code clients × rounds} requests and then stops.
 */
public final class BenchServe {
    private static final Pattern COMPLETION_TOKENS = Pattern.compile("\"completion_tokens\"\\s*:\\s*(\\d+)");
    private static final Pattern PROMPT_TOKENS = Pattern.compile("\"prompt_tokens\"\\s*:\\s*(\\d+)");
    private static final Pattern TEXT = Pattern.compile("\"(?:content|text)\"\\s*:\\s*\"(?:[^\"\\\\]|\\\\.)+\"");
    private static final Pattern MODEL_ID = Pattern.compile("\"id\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final String[] PROMPTS = {
        "Once upon a time, there was a little girl named Lily.",
        "Tom had a big red ball. One day,",
        "The sun was shining and the birds were singing.",
        "A small dog lived in a house near the park.",
    };

    /** One finished request: tokens generated, when the first text arrived and when it ended (ns from its start). */
    record Result(int promptTokens, int tokens, long firstNanos, long totalNanos) {
    }

    public static void main(String[] args) throws Exception {
        String url = "http://127.0.0.1:8080";
        int[] levels = {1, 4, 8, 16};
        int tokens = 64;
        int rounds = 2;
        long seed = 42;
        boolean chat = true;
        int waitSeconds = 600;
        String temperature = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--url" -> url = args[++i];
                case "--clients" -> levels = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                case "-n", "--tokens" -> tokens = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--endpoint" -> chat = switch (args[++i]) {
                    case "chat" -> true;
                    case "completions" -> false;
                    default -> throw new IllegalArgumentException("--endpoint is chat or completions");
                };
                case "--wait" -> waitSeconds = Integer.parseInt(args[++i]);
                case "--temp" -> temperature = Double.toString(Double.parseDouble(args[++i]));
                case "-h", "--help" -> {
                    System.out.println("usage: java BenchServe.java [--url URL] [--clients 1,4,8,16] [-n TOKENS] [--rounds R]"
                            + " [--seed S] [--temp T] [--endpoint chat|completions] [--wait SECONDS]");
                    return;
                }
                default -> throw new IllegalArgumentException("unknown argument " + a + " (try --help)");
            }
        }
        URI base = URI.create(url);
        if (!isLoopback(base.getHost())) {
            throw new IllegalArgumentException("bench-serve sends load to this machine only, not to " + base.getHost());
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        waitHealthy(http, base, waitSeconds);
        String model = modelId(http, base);
        System.err.printf(Locale.ROOT, "bench-serve: model %s, %s, %d tokens per request, %d rounds per client, temperature %s%n",
                model, chat ? "/v1/chat/completions" : "/v1/completions", tokens, rounds,
                temperature == null ? "not sent (the API's default, 1)" : temperature);
        String extra = temperature == null ? "" : "\"temperature\":" + temperature + ",";

        // Warm-up at the highest concurrency: the JIT compiles the server's hot paths, batched ones
        // included, before anything is measured.
        runLevel(http, base, model, chat, Arrays.stream(levels).max().orElse(1), 1, tokens, seed, extra);

        System.out.println("| clients | requests | tokens | wall s | aggregate tok/s | stream tok/s p50 | TTFT p50 ms | TTFT max ms | slowest s |");
        System.out.println("|--------:|---------:|-------:|-------:|----------------:|-----------------:|------------:|------------:|----------:|");
        for (int clients : levels) {
            long start = System.nanoTime();
            List<Result> results = runLevel(http, base, model, chat, clients, rounds, tokens, seed, extra);
            double wall = (System.nanoTime() - start) / 1e9;
            int generated = results.stream().mapToInt(Result::tokens).sum();
            long[] ttft = results.stream().mapToLong(Result::firstNanos).sorted().toArray();
            // A stream's own rate, its tokens after the first over the time after the first: the median request's.
            double[] rates = results.stream().filter(r -> r.tokens() > 1 && r.totalNanos() > r.firstNanos())
                    .mapToDouble(r -> (r.tokens() - 1) / ((r.totalNanos() - r.firstNanos()) / 1e9)).sorted().toArray();
            double perStream = rates.length == 0 ? 0 : rates[rates.length / 2];
            long slowest = results.stream().mapToLong(Result::totalNanos).max().orElse(0);
            System.out.printf(Locale.ROOT, "| %7d | %8d | %6d | %6.2f | %15.1f | %16.1f | %11.0f | %11.0f | %9.2f |%n",
                    clients, results.size(), generated, wall, generated / wall, perStream,
                    ttft[ttft.length / 2] / 1e6, ttft[ttft.length - 1] / 1e6, slowest / 1e9);
        }
    }

    private static boolean isLoopback(String host) {
        return host != null && (host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1"));
    }

    /** {@code clients} concurrent streams, each making {@code rounds} requests one after another. */
    private static List<Result> runLevel(HttpClient http, URI base, String model, boolean chat, int clients, int rounds,
                                         int tokens, long seed, String extra) throws Exception {
        List<Future<List<Result>>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < clients; c++) {
                int client = c;
                futures.add(pool.submit(() -> {
                    List<Result> mine = new ArrayList<>();
                    for (int r = 0; r < rounds; r++) {
                        mine.add(request(http, base, model, chat, PROMPTS[(client + r) % PROMPTS.length], tokens, seed + client,
                                extra));
                    }
                    return mine;
                }));
            }
        }
        List<Result> all = new ArrayList<>();
        for (Future<List<Result>> f : futures) {
            all.addAll(f.get());
        }
        return all;
    }

    /** One streamed request; {@code extra} is more JSON members, each followed by a comma. */
    private static Result request(HttpClient http, URI base, String model, boolean chat, String prompt, int tokens, long seed,
                                  String extra) throws IOException, InterruptedException {
        String body = chat
                ? "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}],"
                : "{\"model\":\"" + model + "\",\"prompt\":\"" + prompt + "\",";
        body += extra + "\"max_tokens\":" + tokens + ",\"ignore_eos\":true,\"seed\":" + seed
                + ",\"stream\":true,\"stream_options\":{\"include_usage\":true}}";
        HttpRequest req = HttpRequest.newBuilder(base.resolve(chat ? "/v1/chat/completions" : "/v1/completions"))
                .header("Content-Type", "application/json").timeout(Duration.ofMinutes(10))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
        long start = System.nanoTime();
        HttpResponse<java.io.InputStream> resp = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        if (resp.statusCode() != 200) {
            throw new IOException("HTTP " + resp.statusCode() + ": " + new String(resp.body().readAllBytes(), StandardCharsets.UTF_8));
        }
        long first = -1;
        int generated = -1;
        int promptTokens = -1;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(resp.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.startsWith("data: ") || line.equals("data: [DONE]")) {
                    continue;
                }
                if (line.contains("\"error\"")) {
                    throw new IOException("the stream failed: " + line);
                }
                if (first < 0 && TEXT.matcher(line).find()) {
                    first = System.nanoTime() - start;
                }
                Matcher m = COMPLETION_TOKENS.matcher(line);
                if (m.find()) {
                    generated = Integer.parseInt(m.group(1));
                    Matcher p = PROMPT_TOKENS.matcher(line);
                    promptTokens = p.find() ? Integer.parseInt(p.group(1)) : -1;
                }
            }
        }
        long total = System.nanoTime() - start;
        if (generated < 0) {
            throw new IOException("no usage in the stream: the server ignored stream_options.include_usage");
        }
        return new Result(promptTokens, generated, first < 0 ? total : first, total);
    }

    private static void waitHealthy(HttpClient http, URI base, int seconds) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        HttpRequest req = HttpRequest.newBuilder(base.resolve("/health")).timeout(Duration.ofSeconds(5)).GET().build();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
                last = r.statusCode() + " " + r.body();
                if (r.body().contains("\"error\"")) {
                    break;
                }
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(200);
        }
        throw new IOException("the server at " + base + " is not healthy: " + last);
    }

    private static String modelId(HttpClient http, URI base) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/v1/models")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher m = MODEL_ID.matcher(r.body());
        if (r.statusCode() != 200 || !m.find()) {
            throw new IOException("GET /v1/models: " + r.statusCode() + " " + r.body());
        }
        return m.group(1);
    }
}
