package org.mailfwd.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.mailfwd.delivery.Delivery;
import org.mailfwd.delivery.DeliveryLog;
import org.mailfwd.delivery.DeliveryRequest;
import org.mailfwd.delivery.Mta;
import org.mailfwd.delivery.Outcome;
import org.mailfwd.delivery.Plan;
import org.mailfwd.status.EnhancedStatus;
import org.mailfwd.status.TemporaryFailure;
import org.mailfwd.text.Printable;

/**
 * The mailfwd command, run by an MTA once per message. The only place that turns an outcome
 * into an exit status and the only caller of System.exit.
 *
 * <p>Whatever happens, the MTA hears one of three things: 0 (delivered), temporary failure
 * (it keeps the message and retries) or permanent failure (it bounces). Anything we did not
 * foresee, a bad command line included, is a temporary failure: the message waits.
 */
public final class Main {
    static final String VERSION = "mailfwd 0.1.0";

    private Main() {
    }

    public static void main(String[] args) {
        openClassPathEarly();
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
        int status;
        try {
            status = run(args, System.in, out, err, System.getenv(), RootCheck.runningAsRoot());
        } catch (Throwable t) {
            // Even an OutOfMemoryError leaves the message with the MTA, queued, with the
            // one stderr line that says why (an Error escapes Delivery's own catch).
            status = finish(Outcome.of(new TemporaryFailure(EnhancedStatus.SYSTEM_TEMPORARY,
                    "internal error: " + t)), Mta.detect(System.getenv()), err);
        }
        out.flush();
        err.flush();
        System.exit(status);
    }

    /**
     * The first ProcessBuilder.start of a recent JDK (25 here; not 17) looks up the
     * System.Logger back end, which searches the class path for a LoggerFinder and so opens
     * and indexes the jar: a few ms of CPU for its 1,500 entries, while every class comes
     * from the class-data archive. Making that search now, on the second core while this
     * thread reads the message and the rule file, takes it off the forward's critical path
     * (about 4 ms of wall time, docs/performance.md). The JVM keeps the jar open, so its own
     * search later is cheap; if this one fails, the JVM simply does it itself.
     */
    private static void openClassPathEarly() {
        if (Runtime.version().feature() < 22) {
            return;
        }
        Thread opener = new Thread(() -> ClassLoader.getSystemClassLoader()
                .getResource("META-INF/services/java.lang.System$LoggerFinder"),
                "mailfwd-classpath");
        opener.setDaemon(true);
        opener.start();
    }

    /** A run inside a test's own JVM, which is never refused for running as root. */
    static int run(String[] args, InputStream stdin, PrintStream out, PrintStream err,
            Map<String, String> environment) {
        return run(args, stdin, out, err, environment, false);
    }

    /** @param root whether this process runs as root: a delivery is then refused */
    static int run(String[] args, InputStream stdin, PrintStream out, PrintStream err,
            Map<String, String> environment, boolean root) {
        long start = System.nanoTime();
        if (Subcommands.names(args)) {
            return Subcommands.run(args, stdin, out, err, environment);
        }
        Options options;
        try {
            options = Options.parse(args);
            if ((options.help() || options.version()) && inDelivery(environment)) {
                // Printing and exiting 0 would tell the MTA the message was delivered.
                throw new UsageException((options.help() ? "--help" : "--version")
                        + " is not for a delivery command line; the message waits");
            }
        } catch (UsageException e) {
            Outcome usage = Outcome.of(new TemporaryFailure(EnhancedStatus.CONFIGURATION,
                    "mailfwd: " + e.getMessage() + " (see mailfwd --help)"));
            // A command line that does not parse has no --log to trust: $HOME's log only.
            DeliveryRequest bare = new DeliveryRequest(Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    environment);
            log(new Delivery(bare), new Plan(), usage, bare, start);
            return finish(usage, Mta.detect(environment), err);
        }
        if (options.help()) {
            out.print(Options.USAGE);
            return 0;
        }
        if (options.version()) {
            out.println(VERSION);
            return 0;
        }
        boolean refused = root && !options.allowRoot();
        DeliveryRequest request = options.request(environment);
        Delivery delivery = new Delivery(request);
        if (refused && !options.dryRun()) {
            // Before the message and the rules are read, so the log is --log or
            // $HOME/.mailfwd.log; under Exim this line is the only record of the refusal.
            Outcome refusal = Outcome.of(RootCheck.refusal());
            log(delivery, new Plan(), refusal, request, start);
            return finish(refusal, delivery.mta(), err);
        }
        // A SIGTERM (the MTA's time limit, a shutdown) ends the JVM through its shutdown
        // hooks: this one writes the delivery's one log line then, which under Exim is the
        // only record, since nothing may be printed. The normal end writes it instead.
        AtomicBoolean logged = new AtomicBoolean();
        Thread onSignal = new Thread(() -> {
            if (logged.compareAndSet(false, true)) {
                Outcome stopped = Outcome.of(new TemporaryFailure(
                        EnhancedStatus.SYSTEM_TEMPORARY, delivery.mayHaveSent()
                                ? "stopped by a signal after the next MTA had the whole"
                                + " message: it is probably sent, and the MTA's retry may"
                                + " send it again"
                                : "stopped by a signal before the delivery ended; the MTA"
                                + " keeps the message"));
                // The plan is the main thread's, caught in mid-step; if reading it fails,
                // the line goes out without what it knew.
                if (!log(delivery, delivery.current().orElseGet(Plan::new), stopped, request,
                        start)) {
                    log(delivery, new Plan(), stopped, request, start);
                }
            }
        }, "mailfwd-signal-log");
        if (!options.dryRun()) {
            Runtime.getRuntime().addShutdownHook(onSignal);
        }
        Plan plan = delivery.plan(stdin);
        if (options.dryRun()) {
            // The dry run itself is harmless as root; it reports what the real run would do.
            Outcome wouldBe = refused ? Outcome.of(RootCheck.refusal()) : plan.wouldBe();
            DryRunReport report = new DryRunReport(plan, wouldBe, delivery.mta().exitCode(wouldBe));
            out.print(options.json() ? report.json() : report.text());
            return 0;
        }
        Outcome outcome = delivery.execute(plan);
        if (logged.compareAndSet(false, true)) {
            log(delivery, plan, outcome, request, start);
            try {
                Runtime.getRuntime().removeShutdownHook(onSignal);
            } catch (IllegalStateException shuttingDown) {
                // The hook finds the line written and does nothing.
            }
        }
        return finish(outcome, delivery.mta(), err);
    }

    /**
     * Whether --help or --version came in a delivery rather than from a person: the
     * environment is an MTA's (Postfix, qmail and Exim set these; sendmail sets none).
     */
    private static boolean inDelivery(Map<String, String> environment) {
        return Mta.detect(environment) != Mta.SENDMAIL || environment.containsKey("SENDER")
                || environment.containsKey("RECIPIENT");
    }

    /**
     * The one log line of a delivery; a log that cannot be written never fails it.
     *
     * @return whether the line was built (and its append tried)
     */
    private static boolean log(Delivery delivery, Plan plan, Outcome outcome,
            DeliveryRequest request, long start) {
        try {
            delivery.logFile().ifPresent(file -> DeliveryLog.append(file,
                    DeliveryLog.line(plan, outcome, request, start)));
            return true;
        } catch (RuntimeException e) {
            // The message matters more than its record (DeliveryLog.append says the same).
            return false;
        }
    }

    private static int finish(Outcome outcome, Mta mta, PrintStream err) {
        int code = mta.exitCode(outcome);
        if (code != 0 && mta.printsStatusLine()) {
            err.println(Printable.of(outcome.statusLine()));
        }
        return code;
    }
}
