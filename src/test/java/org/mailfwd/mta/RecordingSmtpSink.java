package org.mailfwd.mta;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A tiny SMTP server on 127.0.0.1 that accepts every message and records its envelope and
 * bytes: Postfix's relayhost in the end-to-end tests, so a test sees exactly what a real
 * next hop would get. It speaks just enough ESMTP for Postfix's smtp(8) client (EHLO with
 * 8BITMIME, so that Postfix never re-encodes a body), listens only on loopback, and stops
 * with {@link #close()}.
 */
final class RecordingSmtpSink implements AutoCloseable {
    /** One message as the sink received it: data is CRLF-to-LF converted and dot-unstuffed. */
    record Received(String mailFrom, List<String> rcptTo, byte[] data) {
        String text() {
            return new String(data, StandardCharsets.ISO_8859_1);
        }
    }

    private final ServerSocket server;
    private final List<Received> messages = new ArrayList<>();
    private final Thread acceptor;

    RecordingSmtpSink() throws IOException {
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        acceptor = new Thread(this::acceptLoop, "smtp-sink");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Forgets what was received so far. */
    synchronized void clear() {
        messages.clear();
    }

    synchronized List<Received> messages() {
        return List.copyOf(messages);
    }

    /** Waits until at least count messages have arrived; returns them all. */
    synchronized List<Received> await(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (messages.size() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("the sink got " + messages.size() + " message(s), "
                        + "waited " + timeout.toSeconds() + "s for " + count);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return List.copyOf(messages);
    }

    private synchronized void record(Received message) {
        messages.add(message);
        notifyAll();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread session = new Thread(() -> serve(socket), "smtp-sink-session");
                session.setDaemon(true);
                session.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket; InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream()) {
            socket.setSoTimeout((int) Duration.ofSeconds(60).toMillis());
            reply(out, "220 sink.localhost ESMTP recording sink");
            String mailFrom = null;
            List<String> rcptTo = new ArrayList<>();
            for (String line; (line = readLine(in)) != null; ) {
                String verb = line.length() < 4 ? line : line.substring(0, 4);
                switch (verb.toUpperCase(Locale.ROOT)) {
                    case "EHLO" -> reply(out, "250-sink.localhost\r\n250-8BITMIME\r\n250 SIZE");
                    case "HELO" -> reply(out, "250 sink.localhost");
                    case "MAIL" -> {
                        mailFrom = path(line);
                        rcptTo = new ArrayList<>();
                        reply(out, "250 2.1.0 ok");
                    }
                    case "RCPT" -> {
                        rcptTo.add(path(line));
                        reply(out, "250 2.1.5 ok");
                    }
                    case "DATA" -> {
                        reply(out, "354 go ahead");
                        record(new Received(mailFrom, List.copyOf(rcptTo), readData(in)));
                        reply(out, "250 2.0.0 recorded");
                    }
                    case "QUIT" -> {
                        reply(out, "221 2.0.0 bye");
                        return;
                    }
                    case "RSET", "NOOP" -> reply(out, "250 2.0.0 ok");
                    default -> reply(out, "502 5.5.2 not implemented");
                }
            }
        } catch (IOException e) {
            // The client went away; what was recorded stays recorded.
        }
    }

    /** The address between the angle brackets of MAIL FROM:<...> or RCPT TO:<...>. */
    private static String path(String line) {
        int open = line.indexOf('<');
        int close = line.indexOf('>', open);
        return open < 0 || close < 0 ? line : line.substring(open + 1, close);
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** One command line without its CRLF, or null at end of stream. */
    private static String readLine(InputStream in) throws IOException {
        byte[] line = readRawLine(in);
        return line == null ? null : new String(line, StandardCharsets.ISO_8859_1).strip();
    }

    private static byte[] readRawLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) >= 0; ) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r'
                        ? bytes.length - 1 : bytes.length;
                return Arrays.copyOf(bytes, length);
            }
            line.write(b);
        }
        return null;
    }

    /** The DATA section up to the lone ".", each line ended by LF, leading dots unstuffed. */
    private static byte[] readData(InputStream in) throws IOException {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (byte[] line; (line = readRawLine(in)) != null; ) {
            if (line.length == 1 && line[0] == '.') {
                return data.toByteArray();
            }
            int from = line.length > 0 && line[0] == '.' ? 1 : 0;
            data.write(line, from, line.length - from);
            data.write('\n');
        }
        throw new IOException("connection closed inside DATA");
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
