package dev.nabd.cli;

import picocli.CommandLine;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;

/**
 * The {@code nabd} command. Every subcommand is a thin layer over the library: it parses options, calls
 * {@link dev.nabd.LanguageModel}, and turns failures into one-line messages with exit code 1.
 */
@Command(name = "nabd",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Runs open-weight language models on the CPU.",
        subcommands = {RunCommand.class, ChatCommand.class, InspectCommand.class, LogitsCommand.class, BenchCommand.class, ServeCommand.class, TemplateCommand.class, TokenizeCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Examples:",
                "  nabd run -p \"Once upon a time\"            run the bundled stories260K model",
                "  nabd run -m model.gguf -p \"Hello\" -n 64   generate 64 tokens",
                "  nabd chat -m model.gguf                   chat in the terminal (/help inside)",
                "  nabd serve -m model.gguf --port 8080      OpenAI-compatible API and web chat on localhost",
                "  nabd inspect model.gguf                   metadata and tensor table",
                "  nabd logits -m model.gguf --tokens 1,2,3 --top 5"})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // Text goes out as UTF-8 whatever the locale says: Arabic and Chinese must survive a C locale.
        PrintWriter out = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.err), StandardCharsets.UTF_8), true);
        String charset = System.getProperty("sun.jnu.encoding", "UTF-8");
        if (lostCharacters(charset, args)) {
            err.println("nabd: error: the command line holds characters the locale's character set (" + charset
                    + ") cannot represent, and Java has replaced them with U+FFFD; run nabd with a UTF-8 locale"
                    + " (e.g. LC_ALL=C.UTF-8, as bin/nabd does) or pass the text in a file with --input");
            err.flush();
            System.exit(1);
        }
        int code = execute(out, err, args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /**
     * Whether Java, decoding the command line with {@code charset} (the locale's), turned characters
     * into U+FFFD: under a C or POSIX locale every non-ASCII byte is lost that way, so an Arabic prompt
     * would silently become replacement characters.
     */
    static boolean lostCharacters(String charset, String... args) {
        if (charset.equalsIgnoreCase("UTF-8")) {
            return false;
        }
        for (String a : args) {
            if (a.indexOf('\uFFFD') >= 0) {
                return true;
            }
        }
        return false;
    }

    /** Runs the command line with the given streams and returns its exit code (tests call this). */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler(new Failures());
        return cli.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Reports the version from the jar manifest, or "dev" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"nabd " + (v == null ? "dev" : v) + " on Java " + Runtime.version()};
        }
    }
}
