package dev.nabd.server;

import dev.nabd.engine.EngineMetrics;
import dev.nabd.engine.Histogram;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Request counts by route and status, and the engine's metrics, as Prometheus text (format 0.0.4). */
final class ServerMetrics {
    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();

    void count(String route, int status) {
        requests.computeIfAbsent(route + "\u0000" + status, k -> new LongAdder()).increment();
    }

    String render(EngineMetrics e) {
        StringBuilder out = new StringBuilder(4096);
        out.append("# HELP nabd_http_requests_total HTTP requests answered, by route and status.\n");
        out.append("# TYPE nabd_http_requests_total counter\n");
        for (Map.Entry<String, LongAdder> r : new TreeMap<>(requests).entrySet()) {
            String[] parts = r.getKey().split("\u0000");
            out.append("nabd_http_requests_total{route=\"").append(parts[0]).append("\",status=\"").append(parts[1])
                    .append("\"} ").append(r.getValue().sum()).append('\n');
        }
        if (e == null) {
            return out.toString();
        }
        counter(out, "nabd_requests_total", "Generation requests accepted by the engine.", e.requests.sum());
        counter(out, "nabd_requests_rejected_total", "Requests refused because the queue was full.", e.rejected.sum());
        counter(out, "nabd_requests_cancelled_total", "Requests cancelled, mostly by clients that went away.", e.cancelled.sum());
        counter(out, "nabd_requests_failed_total", "Requests that failed inside the engine.", e.failed.sum());
        out.append("# HELP nabd_requests_finished_total Requests finished, by reason.\n");
        out.append("# TYPE nabd_requests_finished_total counter\n");
        out.append("nabd_requests_finished_total{reason=\"stop\"} ").append(e.finishedStop.sum()).append('\n');
        out.append("nabd_requests_finished_total{reason=\"length\"} ").append(e.finishedLength.sum()).append('\n');
        counter(out, "nabd_prompt_tokens_total", "Prompt tokens of accepted requests.", e.promptTokens.sum());
        counter(out, "nabd_generated_tokens_total", "Tokens generated.", e.generatedTokens.sum());
        counter(out, "nabd_prefix_cache_hits_total", "Requests that reused cached prompt positions.", e.prefixCacheHits.sum());
        counter(out, "nabd_prefix_cache_tokens_total", "Prompt tokens taken from the prefix cache.", e.cachedPromptTokens.sum());
        counter(out, "nabd_forward_passes_total", "Batched forward passes.", e.steps.sum());
        counter(out, "nabd_forward_rows_total", "Token rows evaluated by those passes.", e.stepRows.sum());
        gauge(out, "nabd_queue_depth", "Requests waiting for a free sequence.", e.queueDepth());
        gauge(out, "nabd_running_sequences", "Sequences being evaluated.", e.running());
        gauge(out, "nabd_kv_cache_used_positions", "KV cache positions held by running sequences.", e.kvPositionsUsed());
        gauge(out, "nabd_kv_cache_positions", "KV cache positions in all sequences.", e.kvPositionsTotal());
        gauge(out, "nabd_kv_cache_usage_ratio", "Share of the KV cache held by running sequences.",
                e.kvPositionsTotal() == 0 ? 0 : (double) e.kvPositionsUsed() / e.kvPositionsTotal());
        histogram(out, "nabd_decode_batch_size", "Sequences decoded together in one forward pass.", e.decodeBatchSize);
        histogram(out, "nabd_time_to_first_token_seconds", "Time from a request's arrival to its first token.", e.timeToFirstToken);
        histogram(out, "nabd_inter_token_latency_seconds", "Time between consecutive tokens of a request.", e.interTokenLatency);
        return out.toString();
    }

    private static void counter(StringBuilder out, String name, String help, long value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" counter\n");
        out.append(name).append(' ').append(value).append('\n');
    }

    private static void gauge(StringBuilder out, String name, String help, double value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" gauge\n");
        out.append(name).append(' ').append(number(value)).append('\n');
    }

    private static void histogram(StringBuilder out, String name, String help, Histogram h) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" histogram\n");
        double[] bounds = h.bounds();
        long[] counts = h.cumulativeCounts();
        for (int i = 0; i < bounds.length; i++) {
            out.append(name).append("_bucket{le=\"").append(number(bounds[i])).append("\"} ").append(counts[i]).append('\n');
        }
        out.append(name).append("_bucket{le=\"+Inf\"} ").append(counts[bounds.length]).append('\n');
        out.append(name).append("_sum ").append(number(h.sum())).append('\n');
        out.append(name).append("_count ").append(h.count()).append('\n');
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.6g", v);
    }
}
