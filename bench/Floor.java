import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The floor of the benchmark: the least a Java forwarder can do and still forward. It reads
 * the message, finds the end of the header and the first Return-Path, reads the rule file's
 * bytes for the forward: address and the sendmail: program, and pipes the message, less its
 * Return-Path fields, to {@code sendmail -i -f SENDER -- RECIPIENT}. No library, no checks,
 * no log: anything mailfwd spends over this is the price of its features.
 *
 * <p>Usage: {@code java Floor RULE-FILE < message}
 */
public final class Floor {
    private Floor() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        byte[] message = System.in.readAllBytes();
        int headerEnd = headerEnd(message);
        String rules = new String(Files.readAllBytes(Path.of(args[0])), StandardCharsets.UTF_8);
        String recipient = value(rules, "forward:");
        String sendmail = value(rules, "sendmail:");
        String sender = "";
        int lineStart = 0;
        boolean skipping = false;
        // One pass over the header: drop Return-Path fields (with their continuation lines)
        // and remember the first one's address.
        ByteArrayOutputStream header = new ByteArrayOutputStream(headerEnd);
        while (lineStart < headerEnd) {
            int lineEnd = lineStart;
            while (lineEnd < headerEnd && message[lineEnd] != '\n') {
                lineEnd++;
            }
            lineEnd = Math.min(lineEnd + 1, headerEnd);
            boolean continuation = message[lineStart] == ' ' || message[lineStart] == '\t';
            if (!continuation) {
                skipping = startsWithIgnoreCase(message, lineStart, "return-path:");
                if (skipping && sender.isEmpty()) {
                    sender = address(new String(message, lineStart + 12,
                            lineEnd - lineStart - 12, StandardCharsets.ISO_8859_1));
                }
            }
            if (!skipping) {
                header.write(message, lineStart, lineEnd - lineStart);
            }
            lineStart = lineEnd;
        }
        String reversePath = sender.isEmpty() ? "<>" : sender;
        Process child = new ProcessBuilder(sendmail, "-i", "-f", reversePath, "--", recipient)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        OutputStream out = child.getOutputStream();
        header.writeTo(out);
        out.write(message, headerEnd, message.length - headerEnd);
        out.close();
        System.exit(child.waitFor() == 0 ? 0 : 75);
    }

    /** Index just after the header: past the first empty line, or the end of the message. */
    private static int headerEnd(byte[] m) {
        for (int i = 0; i + 1 < m.length; i++) {
            if (m[i] == '\n' && (m[i + 1] == '\n'
                    || m[i + 1] == '\r' && i + 2 < m.length && m[i + 2] == '\n')) {
                return i + 1;
            }
        }
        return m.length;
    }

    private static boolean startsWithIgnoreCase(byte[] m, int at, String prefix) {
        if (at + prefix.length() > m.length) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (Character.toLowerCase(m[at + i]) != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The address of a Return-Path value: brackets and white space stripped. */
    private static String address(String value) {
        StringBuilder address = new StringBuilder();
        for (char c : value.toCharArray()) {
            if (c != '<' && c != '>' && !Character.isWhitespace(c)) {
                address.append(c);
            }
        }
        return address.toString();
    }

    /** The value after "key" at the start of a line of the rule file. */
    private static String value(String rules, String key) {
        for (String line : rules.split("\n")) {
            if (line.startsWith(key)) {
                return line.substring(key.length()).strip();
            }
        }
        throw new IllegalArgumentException("rule file has no " + key);
    }
}
