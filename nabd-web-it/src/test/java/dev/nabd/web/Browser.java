package dev.nabd.web;

import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Headless Chromium driven through Debian's {@code chromedriver}: nothing is downloaded, so the paths
 * are given to Selenium (which then never starts its driver manager). {@code -Dnabd.chromium=PATH} and
 * {@code -Dnabd.chromedriver=PATH} point elsewhere.
 */
final class Browser implements AutoCloseable {
    private static final String INSTALL = "the web chat test drives headless Chromium: install it with "
            + "'apt-get install chromium chromium-driver' (.ci/run does this when chromium is missing), "
            + "or point -Dnabd.chromium and -Dnabd.chromedriver at a browser and its driver";

    // Selenium looks for a CDP (devtools) module matching the browser's version and warns when there is
    // none; these tests use WebDriver only. Held here so the settings are not collected.
    private static final List<Logger> QUIET = List.of(Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder"),
            Logger.getLogger("org.openqa.selenium.chromium.ChromiumDriver"));

    final WebDriver driver;

    private Browser(WebDriver driver) {
        this.driver = driver;
    }

    static Browser start() {
        QUIET.forEach(l -> l.setLevel(Level.SEVERE));
        Path chromium = find("nabd.chromium", "chromium", "chromium-browser", "google-chrome");
        Path chromedriver = find("nabd.chromedriver", "chromedriver");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        // --no-sandbox: CI runs as root; /dev/shm is small in containers.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1100,820",
                "--lang=en-US", "--disable-gpu", "--no-first-run", "--disable-extensions");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort()
                .build();
        try {
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
            return new Browser(driver);
        } catch (WebDriverException e) {
            throw new IllegalStateException("headless Chromium (" + chromium + ", driver " + chromedriver
                    + ") did not start: " + e.getMessage(), e);
        }
    }

    /** The property's path, else the first of {@code names} on the PATH; fails with how to install it. */
    private static Path find(String property, String... names) {
        String given = System.getProperty(property);
        if (given != null && !given.isBlank()) {
            Path p = Path.of(given);
            if (!Files.isExecutable(p)) {
                throw new IllegalStateException(property + "=" + given + " is not an executable file; " + INSTALL);
            }
            return p;
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String name : names) {
            for (String dir : List.of(path.split(java.io.File.pathSeparator))) {
                Path p = Path.of(dir.isEmpty() ? "." : dir, name);
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        throw new IllegalStateException(String.join(" or ", names) + " not found on the PATH: " + INSTALL);
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    String text(String script, Object... args) {
        Object v = js(script, args);
        return v == null ? null : v.toString();
    }

    void screenshot(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    }

    /** Polls {@code probe} every 20 ms until it gives something other than null or false. */
    static <T> T await(String what, Duration timeout, Supplier<T> probe) {
        long end = System.nanoTime() + timeout.toNanos();
        for (;;) {
            T v = probe.get();
            if (v != null && !Boolean.FALSE.equals(v)) {
                return v;
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
