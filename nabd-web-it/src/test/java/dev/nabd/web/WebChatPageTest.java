package dev.nabd.web;

import dev.nabd.LanguageModel;
import dev.nabd.LoadOptions;
import dev.nabd.server.OpenAiServer;
import dev.nabd.server.ServerOptions;
import dev.nabd.tensor.GgmlType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web chat page of {@code nabd serve} in headless Chromium, against an in-process server on the
 * bundled model (stories260K writes English children's stories; it has no chat template, so the ChatML
 * fallback builds its prompts). Each test starts from an empty localStorage.
 */
class WebChatPageTest {
    private static final String MODEL = "stories260K";
    private static final Duration ANSWER = Duration.ofSeconds(60);
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private static OpenAiServer server;
    private static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        // Fail early, with the install hint, when there is no browser.
        browser = Browser.start();
        server = startServer(null);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.close();
        }
    }

    static OpenAiServer startServer(String apiKey) throws Exception {
        Path model = projectRoot().resolve("models").resolve(MODEL + ".gguf");
        ServerOptions options = ServerOptions.defaults().withPort(0);
        if (apiKey != null) {
            options = options.withApiKey(apiKey);
        }
        OpenAiServer s = OpenAiServer.start(options, () -> LanguageModel.load(model, new LoadOptions(0, 2, 64, GgmlType.F16)), MODEL);
        String failure = s.awaitLoaded();
        if (failure != null) {
            s.close();
            throw new IllegalStateException("the bundled model did not load: " + failure);
        }
        return s;
    }

    static Path projectRoot() {
        String prop = System.getProperty("nabd.projectRoot");
        Path p = prop != null ? Path.of(prop) : Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve(".ci"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("no project root above " + Path.of("").toAbsolutePath());
        }
        return p;
    }

    private static String base(OpenAiServer s) {
        return "http://127.0.0.1:" + s.port();
    }

    @BeforeEach
    void freshPage() {
        open(server);
    }

    /** The page of {@code s} with nothing stored: no conversation, default settings, no key. */
    private static void open(OpenAiServer s) {
        browser.driver.get(base(s) + "/");
        browser.js("localStorage.clear()");
        browser.driver.navigate().refresh();
    }

    private static void awaitModelName() {
        Browser.await("the model name in the header", Duration.ofSeconds(10),
                () -> MODEL.equals(browser.text("return document.getElementById('model').textContent")));
    }

    private static WebElement input() {
        return browser.driver.findElement(By.id("input"));
    }

    private static void send(String text) {
        WebElement input = input();
        input.sendKeys(text);
        input.sendKeys(Keys.ENTER);
    }

    /** The state of the n-th message (0-based), or null when there is none yet. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> message(int n) {
        return (Map<String, Object>) browser.js("""
                const a = document.querySelectorAll('#messages article.msg')[arguments[0]];
                if (!a) return null;
                const body = a.querySelector('.body');
                return {
                  role: a.classList.contains('user') ? 'user' : 'assistant',
                  text: body.textContent,
                  dir: body.getAttribute('dir'),
                  direction: getComputedStyle(body).direction,
                  pending: a.classList.contains('pending'),
                  stopped: a.classList.contains('stopped'),
                  error: a.querySelector('.error').hidden ? null : a.querySelector('.error').textContent,
                  meta: a.querySelector('.meta').textContent,
                };""", n);
    }

    private static long messageCount() {
        return (Long) browser.js("return document.querySelectorAll('#messages article.msg').length");
    }

    private static Map<String, Object> awaitAnswer(int n) {
        return Browser.await("answer " + n + " to finish", ANSWER, () -> {
            Map<String, Object> m = message(n);
            return m != null && !(Boolean) m.get("pending") ? m : null;
        });
    }

    private static boolean visible(String id) {
        return (Boolean) browser.js("return !document.getElementById(arguments[0]).hidden", id);
    }

    private static void settings(String maxTokens, String extra) {
        browser.driver.findElement(By.id("open-settings")).click();
        WebElement max = browser.driver.findElement(By.id("max-tokens"));
        max.clear();
        max.sendKeys(maxTokens);
        WebElement more = browser.driver.findElement(By.id("extra"));
        more.clear();
        more.sendKeys(extra);
        browser.driver.findElement(By.id("settings-save")).click();
        Browser.await("the settings dialog to close", Duration.ofSeconds(5),
                () -> !(Boolean) browser.js("return document.getElementById('settings').open"));
    }

    @Test
    void streamsAnAnswerWithItsTokensPerSecond() {
        awaitModelName();
        send("Once upon a time");
        Map<String, Object> user = Browser.await("the question", Duration.ofSeconds(5), () -> message(0));
        assertThat(user.get("role")).isEqualTo("user");
        assertThat(user.get("text")).isEqualTo("Once upon a time");
        // Text shows up while the answer is still open (the server's first chunks), then it finishes.
        Browser.await("the first streamed text", ANSWER, () -> {
            Map<String, Object> m = message(1);
            return m != null && !((String) m.get("text")).isBlank();
        });
        Map<String, Object> answer = awaitAnswer(1);
        assertThat(answer.get("role")).isEqualTo("assistant");
        assertThat((String) answer.get("text")).isNotBlank();
        assertThat(answer.get("error")).isNull();
        assertThat(answer.get("stopped")).isEqualTo(false);
        assertThat((String) answer.get("meta")).matches("\\d+ tokens? · .*tok/s.*");
        assertThat(visible("send")).isTrue();
        assertThat(visible("stop")).isFalse();
    }

    @Test
    void stopButtonStopsALongAnswer() {
        awaitModelName();
        // No end-of-text and no token limit: the answer runs until the context is full, unless stopped.
        settings("100000", "{\"ignore_eos\": true}");
        long cancelledBefore = cancelledRequests();
        boolean stopped = false;
        boolean grew = false;
        // The answer lasts about a second on this model: should it end before the click, try again
        // in a new chat (the old one would not fit in the context once more).
        for (int attempt = 0; attempt < 3 && !stopped; attempt++) {
            browser.driver.findElement(By.id("new-chat")).click();
            send("Tell me a very long story about a dragon");
            Map<String, Object> first = Browser.await("streamed text", ANSWER, () -> {
                Map<String, Object> m = message(1);
                return m != null && (!((String) m.get("text")).isBlank() || !(Boolean) m.get("pending")) ? m : null;
            });
            int seen = ((String) first.get("text")).length();
            // Seen growing while the stop button shows: the answer streams.
            Map<String, Object> later = Browser.await("more streamed text", ANSWER, () -> {
                Map<String, Object> m = message(1);
                return ((String) m.get("text")).length() > seen || !(Boolean) m.get("pending") ? m : null;
            });
            if ((Boolean) later.get("pending") && visible("stop")) {
                grew = true;
                browser.driver.findElement(By.id("stop")).click();
            }
            Map<String, Object> answer = awaitAnswer(1);
            stopped = (Boolean) answer.get("stopped");
            if (stopped) {
                assertThat((String) answer.get("text")).as("the partial answer stays").isNotBlank();
                assertThat((String) answer.get("meta")).contains("stopped");
                assertThat(answer.get("error")).isNull();
            }
        }
        assertThat(grew).as("the answer's text grew while it streamed").isTrue();
        assertThat(stopped).as("an answer was stopped by the stop button").isTrue();
        assertThat(visible("send")).isTrue();
        assertThat(visible("stop")).isFalse();
        // The server noticed the closed connection and cancelled the request.
        Browser.await("nabd_requests_cancelled_total to grow", Duration.ofSeconds(10),
                () -> cancelledRequests() > cancelledBefore);
    }

    @Test
    void conversationSurvivesAReload() {
        awaitModelName();
        send("Lily had a red ball");
        Map<String, Object> answer = awaitAnswer(1);
        browser.driver.navigate().refresh();
        awaitModelName();
        assertThat(messageCount()).isEqualTo(2);
        assertThat(message(0).get("text")).isEqualTo("Lily had a red ball");
        assertThat(message(1).get("text")).isEqualTo(answer.get("text"));
        assertThat(message(1).get("meta")).isEqualTo(answer.get("meta"));

        browser.driver.findElement(By.id("new-chat")).click();
        assertThat(messageCount()).isZero();
        browser.driver.navigate().refresh();
        assertThat(messageCount()).isZero();
    }

    @Test
    void arabicReadsRightToLeft() throws Exception {
        awaitModelName();
        settings("60", "");   // two short answers: the conversation stays inside the model's 512 positions
        send("Once upon a time there was a little cat");
        awaitAnswer(1);
        WebElement input = input();
        input.sendKeys("مرحبا، احكِ لي قصة قصيرة");
        assertThat(browser.text("return getComputedStyle(document.getElementById('input')).direction")).isEqualTo("rtl");
        input.sendKeys(Keys.ENTER);
        awaitAnswer(3);
        Map<String, Object> english = message(0);
        Map<String, Object> arabic = message(2);
        assertThat(arabic.get("text")).isEqualTo("مرحبا، احكِ لي قصة قصيرة");
        assertThat(arabic.get("dir")).isEqualTo("auto");
        assertThat(arabic.get("direction")).isEqualTo("rtl");
        assertThat(english.get("direction")).isEqualTo("ltr");
        assertThat(message(1).get("direction")).isEqualTo("ltr");
        assertThat(browser.text("return getComputedStyle(document.getElementById('input')).direction")).isEqualTo("ltr");
        browser.screenshot(SCREENSHOTS.resolve("chat.png"));
    }

    @Test
    void serverErrorsShowInline() {
        awaitModelName();
        settings("", "{\"temperature\": 7}");
        send("Once upon a time");
        Map<String, Object> answer = awaitAnswer(1);
        assertThat((String) answer.get("error")).contains("temperature");
        assertThat((String) answer.get("text")).isEmpty();
    }

    @Test
    void asksForTheApiKeyAndKeepsIt() throws Exception {
        try (OpenAiServer locked = startServer("sesame-42")) {
            open(locked);
            Browser.await("the API key dialog", Duration.ofSeconds(10),
                    () -> (Boolean) browser.js("return document.getElementById('key-dialog').open"));
            WebElement key = browser.driver.findElement(By.id("key"));
            key.sendKeys("wrong");
            key.sendKeys(Keys.ENTER);
            Browser.await("the dialog asking again", Duration.ofSeconds(10), () -> browser.text(
                    "return document.getElementById('key-dialog').open && document.getElementById('key-reason').textContent")
                    .contains("refused"));
            key.clear();
            key.sendKeys("sesame-42");
            key.sendKeys(Keys.ENTER);
            awaitModelName();
            send("Once upon a time");
            assertThat(awaitAnswer(1).get("error")).isNull();
            // The key was kept: a reload asks nothing.
            browser.driver.navigate().refresh();
            awaitModelName();
            assertThat((Boolean) browser.js("return document.getElementById('key-dialog').open")).isFalse();
        }
    }

    @Test
    void markdownIsRenderedSafely() {
        String html = browser.text("return Markdown.render(arguments[0])", String.join("\n",
                "# Title", "", "Some **bold**, *italic* and `<code>`; <img src=x onerror=alert(1)>", "",
                "- one", "- [a link](https://example.org/a_b) and [bad](javascript:alert(1))", "",
                "```java", "int x = 1 < 2 ? 1 : 0;", "```"));
        assertThat(html).contains("<h1 dir=\"auto\">Title</h1>", "<strong>bold</strong>", "<em>italic</em>",
                "<code>&lt;code&gt;</code>", "&lt;img src=x onerror=alert(1)&gt;",
                "<a href=\"https://example.org/a_b\" target=\"_blank\" rel=\"noopener noreferrer\">a link</a>",
                "<li dir=\"auto\">one</li>", "<span>java</span>", "class=\"copy\"",
                "<pre dir=\"ltr\"><code>int x = 1 &lt; 2 ? 1 : 0;</code></pre>");
        assertThat(html).doesNotContain("<img", "href=\"javascript");
        // Reasoning: folded into a details element, left out of later prompts.
        assertThat(browser.text("return JSON.stringify(splitThinking('<think>hmm</think>Hi'))"))
                .isEqualTo("[{\"think\":true,\"text\":\"hmm\",\"done\":true},{\"think\":false,\"text\":\"Hi\"}]");
        assertThat(browser.text("return withoutThinking('<think>hmm</think>\\n\\nHi')")).isEqualTo("Hi");
    }

    @Test
    void storedAnswersShowMarkdownFoldedReasoningAndCopyableCode() {
        String answer = String.join("\n", "<think>The reader wants a loop.</think>", "", "## A loop", "",
                "```java", "for (int i = 0; i < 3; i++) {}", "```", "", "1. It counts from **0**.");
        browser.js("""
                localStorage.setItem('nabd.chat.v1', JSON.stringify({messages: [
                  {role: 'user', content: 'How do I write a loop?'},
                  {role: 'assistant', content: arguments[0], stats: {tokens: 20, tps: 500, ttft: 40}},
                  {role: 'user', content: 'And another?'},
                  {role: 'assistant', content: 'Half an ans', pending: true}]}))""", answer);
        browser.driver.navigate().refresh();
        assertThat(messageCount()).isEqualTo(4);
        assertThat(browser.text("return document.querySelector('article.assistant h2').textContent")).isEqualTo("A loop");
        assertThat(browser.text("return document.querySelector('article.assistant ol li').innerHTML"))
                .isEqualTo("It counts from <strong>0</strong>.");
        // The reasoning is folded once it is complete, and unfolds on a click.
        WebElement think = browser.driver.findElement(By.cssSelector("article.assistant details.think"));
        assertThat(think.getAttribute("open")).isNull();
        think.findElement(By.tagName("summary")).click();
        assertThat(think.getAttribute("open")).isNotNull();
        assertThat(think.getText()).contains("The reader wants a loop.");
        WebElement copy = browser.driver.findElement(By.cssSelector("article.assistant .code button.copy"));
        copy.click();
        Browser.await("the copy button to say so", Duration.ofSeconds(5), () -> copy.getText().equals("Copied"));
        assertThat(message(1).get("meta")).isEqualTo("20 tokens · 500 tok/s · first token 40 ms");
        // An answer that was still streaming when the page went away ends there, marked stopped.
        assertThat(message(3).get("stopped")).isEqualTo(true);
        assertThat(message(3).get("pending")).isEqualTo(false);
    }

    private static long cancelledRequests() {
        String text;
        try (HttpClient client = HttpClient.newHttpClient()) {
            text = client.send(HttpRequest.newBuilder(URI.create(base(server) + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("GET /metrics failed", e);
        }
        Matcher m = Pattern.compile("(?m)^nabd_requests_cancelled_total (\\d+)").matcher(text);
        if (!m.find()) {
            throw new AssertionError("no nabd_requests_cancelled_total in /metrics:\n" + text);
        }
        return Long.parseLong(m.group(1));
    }
}
