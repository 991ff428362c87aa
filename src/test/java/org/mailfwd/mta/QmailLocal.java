package org.mailfwd.mta;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * qmail-local's side of a {@code |command} line, done the way qmail-local.c does it, since
 * qmail is not packaged in Debian. The command runs as {@code /bin/sh -c command} in the
 * user's home, with stdin the message exactly as queued (qmail-local prepends nothing for a
 * program), stdout and stderr both going into qmail's delivery report, and these variables on
 * top of qmail-lspawn's own few: HOST, HOME, USER, LOCAL, RECIPIENT, DTLINE, SENDER, RPLINE,
 * UFLINE, EXT to EXT4, HOST2 to HOST4, NEWSENDER (and DEFAULT for a -default file).
 *
 * <p>The exit status is read as qmail-command(8) says: 0 delivered, 99 delivered and stop
 * reading the .qmail file, 100 and 64, 65, 70, 76, 77, 78, 112 permanent, all else temporary;
 * a crash (signal) is temporary too.
 */
final class QmailLocal {
    /** What qmail-local makes of a command's exit status. */
    enum Reading { DELIVERED, DELIVERED_STOP, PERMANENT, TEMPORARY }

    /** qmail-command(8): the only codes, besides 100, that bounce. */
    private static final Set<Integer> HARD = Set.of(64, 65, 70, 76, 77, 78, 100, 112);
    /** myctime(3) in qmail: ctime's layout, in GMT, newline included. */
    private static final DateTimeFormatter CTIME =
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ROOT);

    /** qmail-local's arguments: user, homedir, local, dash, ext, host, sender. */
    record Delivery(String user, Path home, String local, String dash, String ext, String host,
            String sender) {
    }

    /** One run of the command: its exit status, qmail's reading of it, and its output. */
    record Result(int exitCode, Reading reading, String output) {
    }

    private QmailLocal() {
    }

    static Reading read(int exitCode) {
        if (exitCode == 0) {
            return Reading.DELIVERED;
        }
        if (exitCode == 99) {
            return Reading.DELIVERED_STOP;
        }
        return HARD.contains(exitCode) ? Reading.PERMANENT : Reading.TEMPORARY;
    }

    /** The variables qmail-local sets, in the order it sets them. */
    static Map<String, String> environment(Delivery delivery, ZonedDateTime now) {
        Map<String, String> env = new LinkedHashMap<>();
        String recipient = delivery.local() + "@" + delivery.host();
        env.put("HOST", delivery.host());
        env.put("HOME", delivery.home().toString());
        env.put("USER", delivery.user());
        env.put("LOCAL", delivery.local());
        env.put("RECIPIENT", recipient);
        env.put("DTLINE", "Delivered-To: " + recipient.replace('\n', '_') + "\n");
        env.put("SENDER", delivery.sender());
        env.put("RPLINE", "Return-Path: <" + quote(delivery.sender()).replace('\n', '_')
                + ">\n");
        String from = delivery.sender().isEmpty() ? "MAILER-DAEMON"
                : delivery.sender().replaceAll("[ \t\n]", "-");
        env.put("UFLINE", "From " + from + " "
                + CTIME.format(now.withZoneSameInstant(ZoneOffset.UTC)) + "\n");
        putExtensions(env, delivery.ext());
        putHosts(env, delivery.host());
        env.put("NEWSENDER", newSender(delivery));
        return env;
    }

    /** EXT is the whole extension; EXT2 to EXT4 drop one more dash-separated part each. */
    private static void putExtensions(Map<String, String> env, String ext) {
        env.put("EXT", ext);
        String rest = ext;
        for (int n = 2; n <= 4; n++) {
            int dash = rest.indexOf('-');
            rest = dash < 0 ? "" : rest.substring(dash + 1);
            env.put("EXT" + n, rest);
        }
    }

    /** HOST2 to HOST4 drop one more trailing dot-separated part each (never to nothing). */
    private static void putHosts(Map<String, String> env, String host) {
        int end = host.length();
        for (int n = 2; n <= 4; n++) {
            int dot = host.lastIndexOf('.', end - 1);
            end = dot < 0 ? end : dot;
            env.put("HOST" + n, host.substring(0, end));
        }
    }

    /**
     * The sender qmail's own forwarding would use: the original one, unless the user has a
     * .qmail-EXT-owner file (a mailing list), whose address then takes the bounces.
     */
    private static String newSender(Delivery delivery) {
        String sender = delivery.sender();
        if (sender.isEmpty() || sender.equals("#@[]")) {
            return sender;
        }
        Path owner = delivery.home().resolve(".qmail" + delivery.dash() + delivery.ext()
                + "-owner");
        if (!Files.exists(owner)) {
            return sender;
        }
        Path ownerDefault = delivery.home().resolve(".qmail" + delivery.dash() + delivery.ext()
                + "-owner-default");
        return Files.exists(ownerDefault)
                ? delivery.local() + "-owner-@" + delivery.host() + "-@[]"
                : delivery.local() + "-owner@" + delivery.host();
    }

    /** qmail's quote2: the local part in double quotes when it is not a dot-atom. */
    static String quote(String address) {
        int at = address.lastIndexOf('@');
        if (at < 0) {
            return address;
        }
        String local = address.substring(0, at);
        boolean dotAtom = local.matches("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+"
                + "/=?^_`{|}~-]+)*");
        if (dotAtom || local.isEmpty()) {
            return address;
        }
        return "\"" + local.replace("\\", "\\\\").replace("\"", "\\\"") + "\""
                + address.substring(at);
    }

    /**
     * Runs one .qmail program line (without its leading |) as qmail-local does. PATH stands
     * for qmail-lspawn's inherited environment.
     */
    static Result run(String programLine, Delivery delivery, byte[] message, ZonedDateTime now)
            throws IOException, InterruptedException {
        Path in = Files.write(Files.createTempFile(delivery.home(), "queued", ".eml"), message);
        Path out = Files.createTempFile(delivery.home(), "report", ".txt");
        ProcessBuilder builder = new ProcessBuilder(List.of("/bin/sh", "-c", programLine))
                .directory(delivery.home().toFile())
                .redirectInput(in.toFile())
                .redirectErrorStream(true)
                .redirectOutput(out.toFile());
        builder.environment().clear();
        builder.environment().put("PATH", "/usr/local/bin:/usr/bin:/bin");
        builder.environment().putAll(environment(delivery, now));
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("program still running after 60s: " + programLine);
        }
        int status = process.exitValue();
        return new Result(status, read(status), Files.readString(out));
    }
}
