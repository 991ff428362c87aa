package org.mailfwd.handoff;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A small SMTP server for one session on 127.0.0.1 and an ephemeral port, whose replies at
 * each stage are set by the test. It records every command line and the DATA bytes exactly
 * as they arrived (dot-stuffed, CRLF), and can drop the connection in the middle of DATA.
 */
final class SmtpScriptedServer implements AutoCloseable {
    /** Replies by stage; a missing stage gets the usual success reply. */
    private final Map<String, String> replies = new HashMap<>();
    private final Map<String, String> recipientReplies = new HashMap<>();
    private final List<String> commands = Collections.synchronizedList(new ArrayList<>());
    private final ByteArrayOutputStream data = new ByteArrayOutputStream();
    private final ServerSocket listener;
    private List<String> extensions = List.of("8BITMIME", "SMTPUTF8", "PIPELINING");
    private Optional<SSLContext> tls = Optional.empty();
    private boolean implicitTls;
    private int dropAfterDataBytes = -1;
    private boolean silent;
    private Thread thread;

    SmtpScriptedServer() throws IOException {
        listener = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Sets the reply for a stage: greeting, ehlo, starttls, auth, mail, rcpt, data, end. */
    SmtpScriptedServer reply(String stage, String reply) {
        replies.put(stage, reply);
        return this;
    }

    SmtpScriptedServer replyToRecipient(String forwardPath, String reply) {
        recipientReplies.put(forwardPath, reply);
        return this;
    }

    SmtpScriptedServer extensions(String... names) {
        extensions = List.of(names);
        return this;
    }

    /** Offers STARTTLS with this certificate (or speaks TLS at once when implicit). */
    SmtpScriptedServer tls(SSLContext context, boolean implicit) {
        tls = Optional.of(context);
        implicitTls = implicit;
        return this;
    }

    SmtpScriptedServer dropAfterDataBytes(int bytes) {
        dropAfterDataBytes = bytes;
        return this;
    }

    /** Accepts the connection and never says anything: for read timeouts. */
    SmtpScriptedServer silent() {
        silent = true;
        return this;
    }

    SmtpScriptedServer start() {
        thread = new Thread(this::serveOne, "smtp-scripted-server");
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    List<String> commands() {
        synchronized (commands) {
            return List.copyOf(commands);
        }
    }

    /** The DATA bytes as they crossed the wire, without the final ".CRLF". */
    synchronized byte[] data() {
        return data.toByteArray();
    }

    /** Waits until the session is over, so that commands() and data() are complete. */
    void awaitEnd() throws InterruptedException {
        thread.join(TimeUnit.SECONDS.toMillis(10));
    }

    private void serveOne() {
        try (Socket accepted = listener.accept()) {
            Socket socket = implicitTls ? upgrade(accepted) : accepted;
            if (silent) {
                socket.getInputStream().read();
                return;
            }
            converse(socket);
        } catch (IOException e) {
            // The client went away; what was recorded so far is the test's evidence.
        }
    }

    private void converse(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        send(out, replies.getOrDefault("greeting", "220 127.0.0.1 ESMTP scripted"));
        for (String line; (line = readLine(in)) != null; ) {
            commands.add(line);
            String verb = line.split(" ", 2)[0].toUpperCase(java.util.Locale.ROOT);
            switch (verb) {
                case "EHLO" -> send(out, replies.getOrDefault("ehlo", ehloReply()));
                case "HELO" -> send(out, replies.getOrDefault("helo", "250 127.0.0.1"));
                case "STARTTLS" -> {
                    String reply = replies.getOrDefault("starttls", "220 go ahead");
                    send(out, reply);
                    if (reply.startsWith("220") && tls.isPresent()) {
                        socket = upgrade(socket);
                        in = socket.getInputStream();
                        out = socket.getOutputStream();
                    }
                }
                case "AUTH" -> auth(line, in, out);
                case "MAIL" -> send(out, replies.getOrDefault("mail", "250 2.1.0 ok"));
                case "RCPT" -> send(out, recipientReply(line));
                case "DATA" -> {
                    String reply = replies.getOrDefault("data", "354 go ahead");
                    send(out, reply);
                    if (reply.startsWith("354")) {
                        if (!readData(in)) {
                            socket.close();
                            return;
                        }
                        send(out, replies.getOrDefault("end", "250 2.0.0 queued as 1"));
                    }
                }
                case "QUIT" -> {
                    send(out, "221 2.0.0 bye");
                    return;
                }
                default -> send(out, "250 2.0.0 ok");
            }
        }
    }

    private String ehloReply() {
        List<String> lines = new ArrayList<>();
        lines.add("127.0.0.1 hello");
        lines.addAll(extensions);
        if (tls.isPresent() && !implicitTls && !extensions.contains("STARTTLS")) {
            lines.add("STARTTLS");
        }
        StringBuilder reply = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            reply.append("250").append(i == lines.size() - 1 ? ' ' : '-')
                    .append(lines.get(i)).append("\r\n");
        }
        return reply.toString().stripTrailing();
    }

    private void auth(String line, InputStream in, OutputStream out) throws IOException {
        if (line.split(" ").length == 2) {
            send(out, "334 ");
            commands.add("[auth response]");
            readLine(in);
        }
        send(out, replies.getOrDefault("auth", "235 2.7.0 accepted"));
    }

    private String recipientReply(String line) {
        String path = line.substring(line.indexOf(':') + 1).strip();
        return recipientReplies.getOrDefault(path, replies.getOrDefault("rcpt", "250 2.1.5 ok"));
    }

    /** Reads up to the line "."; false when told to drop the connection before that. */
    private boolean readData(InputStream in) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        // The last five bytes, oldest first, with CRLF "before" the start of the data.
        int[] tail = {-1, -1, -1, '\r', '\n'};
        int b;
        while ((b = in.read()) >= 0) {
            received.write(b);
            System.arraycopy(tail, 1, tail, 0, 4);
            tail[4] = b;
            if (dropAfterDataBytes >= 0 && received.size() >= dropAfterDataBytes) {
                keep(received.toByteArray());
                return false;
            }
            boolean end = tail[0] == '\r' && tail[1] == '\n' && tail[2] == '.'
                    && tail[3] == '\r' && tail[4] == '\n';
            if (end) {
                byte[] all = received.toByteArray();
                keep(java.util.Arrays.copyOf(all, all.length - 3));
                return true;
            }
        }
        keep(received.toByteArray());
        return false;
    }

    private synchronized void keep(byte[] bytes) {
        data.reset();
        data.writeBytes(bytes);
    }

    private Socket upgrade(Socket plain) throws IOException {
        SSLSocket secure = (SSLSocket) tls.orElseThrow().getSocketFactory()
                .createSocket(plain, "127.0.0.1", plain.getPort(), true);
        secure.setUseClientMode(false);
        secure.startHandshake();
        return secure;
    }

    /** Writes a reply; the multi-line ones already carry their CRLFs between lines. */
    private static void send(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) >= 0; ) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r'
                        ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.UTF_8);
            }
            line.write(b);
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
