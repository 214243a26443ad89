package dev.nabd.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nabd.engine.GenerationEvent;
import dev.nabd.engine.Usage;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;

/**
 * Streams the events of a request's choices as server-sent events, in the chunk shape an endpoint
 * gives, then the usage chunk (when asked for) and {@code data: [DONE]}. A client that hangs up cancels
 * every choice, so the engine frees their sequences before its next step.
 */
final class SseStream {
    /** How often a comment line goes out while nothing else does: it keeps proxies open and finds clients that left. */
    private static final long KEEP_ALIVE_MILLIS = 5000;
    private static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.UTF_8);

    /** An endpoint's chunks. */
    interface Shape {
        /** Writes what a generated token adds (nothing when it adds no text and no log-probabilities). */
        void token(OutputStream os, int index, GenerationEvent.Token t) throws IOException;

        /** Writes the end of choice {@code index}: its last text and its finish reason. */
        void done(OutputStream os, int index, GenerationEvent.Done d) throws IOException;
    }

    private SseStream() {
    }

    /**
     * Follows every choice to its end.
     *
     * @param usageChunk the final chunk carrying the request's usage, or null when not asked for
     */
    static void follow(OutputStream os, Choices choices, Shape shape, Function<Usage, ObjectNode> usageChunk)
            throws IOException, InterruptedException {
        try {
            while (!choices.finished()) {
                Choices.Next next = choices.next(KEEP_ALIVE_MILLIS);
                if (next == null) {
                    os.write(KEEP_ALIVE);
                    os.flush();
                    continue;
                }
                switch (next.event()) {
                    case GenerationEvent.Token t -> shape.token(os, next.index(), t);
                    case GenerationEvent.Done d -> shape.done(os, next.index(), d);
                    case GenerationEvent.Failed failed -> {
                        // Headers are sent: the failure goes in the stream, as OpenAI reports errors mid-stream.
                        Json.event(os, Json.error(new ApiException(500, "generation failed: " + failed.message(), "server_error",
                                null, null, Map.of())));
                        choices.cancelAll();
                        Json.done(os);
                        return;
                    }
                }
            }
            if (usageChunk != null) {
                Json.event(os, usageChunk.apply(choices.usage()));
            }
            Json.done(os);
        } catch (IOException gone) {
            choices.cancelAll();
            throw gone;
        } finally {
            os.close();
        }
    }
}
