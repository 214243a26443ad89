package dev.nabd.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nabd.tokenizer.Tokenizer;
import dev.nabd.tokenizer.TokenizerException;
import dev.nabd.tokenizer.Tokenizers;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code nabd tokenize}: the token ids of a text, or, with {@code --jsonl}, of every case of a JSON-lines
 * stream, so that thousands of cases can be checked against Hugging Face in one process. The
 * {@code --jsonl} line format is a contract shared with the reference data
 * ({@code ../shared/tokenizers/*}{@code /cases.jsonl}): keep it stable.
 */
@Command(name = "tokenize", mixinStandardHelpOptions = true,
        description = {"Tokenize text with a tokenizer.json (plain or .gz), a folder holding one, or a GGUF file.",
                "Prints the ids, then each id with its token; with --jsonl, reads one case per line "
                        + "({\"text\", \"add_special_tokens\", \"split_special_tokens\"}) and writes one result per line "
                        + "({\"ids\", \"decoded\", \"decoded_skip_special\"}, or {\"error\"} for that line)."})
final class TokenizeCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--tokenizer", required = true, paramLabel = "PATH",
            description = "tokenizer.json, tokenizer.json.gz, a folder holding one, or a GGUF file")
    Path tokenizerPath;

    @Option(names = "--jsonl", description = "read cases as JSON lines and write one JSON result per line")
    boolean jsonl;

    @Option(names = {"-i", "--input"}, paramLabel = "FILE",
            description = "read the text (or the JSON lines) from FILE instead of standard input (- is standard input)")
    Path input;

    @Option(names = "--add-special-tokens", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "add the special tokens of the post-processor (BOS, [CLS] ...), as Hugging Face does by "
                    + "default; --no-add-special-tokens leaves them out (default: ${DEFAULT-VALUE})")
    boolean addSpecialTokens;

    @Option(names = "--split-special-tokens",
            description = "tokenize special-token text such as <|im_start|> as ordinary text")
    boolean splitSpecialTokens;

    @Parameters(arity = "0..1", paramLabel = "TEXT", description = "the text; when absent, read from --input or standard input")
    String text;

    @Override
    public Integer call() throws IOException {
        if (jsonl && text != null) {
            throw new UserInputException("--jsonl reads its cases from --input or standard input, not from TEXT");
        }
        if (text != null && input != null) {
            throw new UserInputException("give the text as TEXT or with --input FILE, not both");
        }
        Tokenizer tok = Tokenizers.load(tokenizerPath);
        PrintWriter out = spec.commandLine().getOut();
        try (BufferedReader in = jsonl || text == null ? reader() : null) {
            if (jsonl) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    out.println(caseResult(tok, line));
                    out.flush();
                }
            } else {
                printTokens(tok, text != null ? text : readAll(in), out);
            }
        }
        out.flush();
        return 0;
    }

    private BufferedReader reader() throws IOException {
        if (input == null || input.toString().equals("-")) {
            return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        }
        if (!Files.isRegularFile(input)) {
            throw new UserInputException(input + ": no such file");
        }
        return Files.newBufferedReader(input, StandardCharsets.UTF_8);
    }

    private static String readAll(BufferedReader in) throws IOException {
        StringBuilder sb = new StringBuilder();
        char[] buf = new char[8192];
        for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
            sb.append(buf, 0, n);
        }
        return sb.toString();
    }

    /** The ids as a JSON array, then one line per token: id and the token as stored, JSON-quoted. */
    private void printTokens(Tokenizer tok, String s, PrintWriter out) throws JsonProcessingException {
        int[] ids = tok.encode(s, addSpecialTokens, !splitSpecialTokens);
        out.println(JSON.writeValueAsString(ids));
        for (int id : ids) {
            out.printf(Locale.ROOT, "%d\t%s%n", id, JSON.writeValueAsString(tok.tokenText(id)));
        }
    }

    /**
     * One case line's result: {@code {"ids", "decoded", "decoded_skip_special"}}, or {@code {"error"}}
     * when the line is not a case or cannot be tokenized. A missing {@code add_special_tokens} is true and
     * a missing {@code split_special_tokens} false, as in Hugging Face.
     */
    static String caseResult(Tokenizer tok, String line) {
        ObjectNode result = JSON.createObjectNode();
        try {
            JsonNode c = JSON.readTree(line);
            if (c == null || !c.isObject()) {
                throw new UserInputException("expected a JSON object with a \"text\" field");
            }
            JsonNode text = c.get("text");
            if (text == null || !text.isTextual()) {
                throw new UserInputException("\"text\" should be a string");
            }
            int[] ids = tok.encode(text.asText(), flag(c, "add_special_tokens", true), !flag(c, "split_special_tokens", false));
            ArrayNode idArray = result.putArray("ids");
            for (int id : ids) {
                idArray.add(id);
            }
            result.put("decoded", tok.decode(ids, true));
            result.put("decoded_skip_special", tok.decode(ids, false));
        } catch (JsonProcessingException e) {
            result.removeAll();
            result.put("error", "not a JSON line: " + e.getOriginalMessage());
        } catch (UserInputException | TokenizerException e) {
            result.removeAll();
            result.put("error", e.getMessage());
        }
        return result.toString();
    }

    private static boolean flag(JsonNode c, String name, boolean fallback) {
        JsonNode v = c.get(name);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isBoolean()) {
            throw new UserInputException("\"" + name + "\" should be true or false");
        }
        return v.booleanValue();
    }
}
