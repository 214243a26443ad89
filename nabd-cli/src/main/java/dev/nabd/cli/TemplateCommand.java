package dev.nabd.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.nabd.chat.TemplateException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code nabd template}: renders a model's chat template as transformers' {@code apply_chat_template}
 * does, to check nabd against Hugging Face on many conversations in one process. The JSON-lines format
 * is a contract (issue 3): each input line gives one output line, {@code {"text": ...}} or
 * {@code {"error": ...}}, where the error of a {@code raise_exception} is the template's message itself.
 */
@Command(name = "template", mixinStandardHelpOptions = true,
        description = "Render a chat template from JSON conversations, as transformers' apply_chat_template does.",
        footer = {"", "Input: {\"messages\": [...], \"tools\": [...], \"add_generation_prompt\": true,"
                + " \"special_tokens\": {...}, \"kwargs\": {\"enable_thinking\": false}}",
                "  (special_tokens default to the tokenizer's; a bare array is taken as the messages)",
                "", "Examples:",
                "  echo '[{\"role\":\"user\",\"content\":\"Hi\"}]' | nabd template --tokenizer Qwen3-8B/",
                "  nabd template --tokenizer model.gguf --jsonl < cases.jsonl > rendered.jsonl",
                "  nabd template --tokenizer tokenizer_config.json --template my_template.jinja -i conversation.json"})
final class TemplateCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--tokenizer", paramLabel = "PATH",
            description = "tokenizer folder, a tokenizer.json or tokenizer_config.json in it, or a GGUF file:"
                    + " gives the chat template (unless --template) and the special tokens")
    Path tokenizer;

    @Option(names = "--template", paramLabel = "FILE", description = "a Jinja chat template to use instead of the tokenizer's")
    Path templateFile;

    @Option(names = "--jsonl", description = "one JSON request per input line, one JSON result per output line")
    boolean jsonl;

    @Option(names = {"-i", "--input"}, paramLabel = "FILE",
            description = "read the request(s) from FILE instead of standard input (- is standard input)")
    Path input;

    private final ObjectMapper json = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS) // Python's json reads and writes NaN and Infinity
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    @Override
    public Integer call() throws IOException {
        ChatTemplates templates = ChatTemplateLoader.load(tokenizer, templateFile);
        spec.commandLine().getErr().println("nabd: chat template from " + templates.origin());
        spec.commandLine().getErr().flush();
        PrintWriter out = spec.commandLine().getOut();
        try (InputStream in = input == null || input.toString().equals("-") ? System.in : Files.newInputStream(input);
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            if (jsonl) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    out.println(json.writeValueAsString(renderLine(templates, line)));
                }
            } else {
                StringBuilder all = new StringBuilder();
                char[] buf = new char[8192];
                for (int n = reader.read(buf); n >= 0; n = reader.read(buf)) {
                    all.append(buf, 0, n);
                }
                out.print(renderOne(templates, all.toString()));
            }
        }
        out.flush();
        return 0;
    }

    /** One JSON-lines request: its result or its error, never an exception. */
    private Map<String, String> renderLine(ChatTemplates templates, String line) {
        Map<String, String> result = new LinkedHashMap<>();
        try {
            result.put("text", render(templates, TemplateRequest.from(json.readValue(line, Object.class))));
        } catch (JsonProcessingException e) {
            result.put("error", "malformed JSON: " + e.getOriginalMessage());
        } catch (TemplateException e) {
            result.put("error", e.raisedByTemplate() ? e.detail() : e.getMessage());
        } catch (IllegalArgumentException | UserInputException e) {
            result.put("error", e.getMessage());
        }
        return result;
    }

    private String renderOne(ChatTemplates templates, String text) {
        TemplateRequest request;
        try {
            request = TemplateRequest.from(json.readValue(text, Object.class));
        } catch (JsonProcessingException e) {
            throw new UserInputException("malformed JSON: " + e.getOriginalMessage());
        }
        try {
            return render(templates, request);
        } catch (TemplateException e) {
            throw new UserInputException(e.getMessage());
        }
    }

    private static String render(ChatTemplates templates, TemplateRequest r) {
        Map<String, Object> variables = new LinkedHashMap<>(r.specialTokens() != null ? r.specialTokens() : templates.specialTokens());
        variables.putAll(r.kwargs());
        return templates.select(r.tools() != null).apply(r.messages(), r.tools(), r.addGenerationPrompt(), variables);
    }
}
