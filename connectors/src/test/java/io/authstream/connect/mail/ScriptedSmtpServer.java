package io.authstream.connect.mail;

import com.icegreen.greenmail.util.DummySSLServerSocketFactory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * An SMTP server on loopback that answers RCPT TO with the reply scripted for the address (250
 * otherwise), and keeps the data of every mail it took: for the permanent refusals (550) that
 * GreenMail cannot be made to give. It speaks the protocol on a real socket (RFC 5321: greeting,
 * EHLO, MAIL, RCPT, DATA with dot-stuffing, RSET, NOOP, QUIT), so the client side is exercised as
 * against any server. With {@link #offerStartTls()} it offers STARTTLS (RFC 3207) with GreenMail's
 * self-signed test certificate.
 */
final class ScriptedSmtpServer implements AutoCloseable {

    private final ServerSocket socket;
    private final Map<String, String> rcptReplies = new ConcurrentHashMap<>();
    private final List<String> accepted = new CopyOnWriteArrayList<>();
    private final List<String> commands = new CopyOnWriteArrayList<>();
    private final Thread acceptor;
    private final List<Boolean> acceptedOverTls = new CopyOnWriteArrayList<>();
    private volatile SSLContext tls;

    ScriptedSmtpServer() throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::acceptLoop, "scripted-smtp");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    /** RCPT TO:&lt;address&gt; is answered with {@code reply}, e.g. {@code 550 5.1.1 mailbox unavailable}. */
    void refuse(String address, String reply) {
        rcptReplies.put(address.toLowerCase(Locale.ROOT), reply);
    }

    /** Offers STARTTLS from now on, with GreenMail's test key (keystore password {@code changeit}). */
    void offerStartTls() throws Exception {
        KeyStore keys = new DummySSLServerSocketFactory().getKeyStore();
        KeyManagerFactory managers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        managers.init(keys, "changeit".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(managers.getKeyManagers(), null, null);
        tls = context;
    }

    /** For each mail taken, whether the session had been upgraded to TLS before. */
    List<Boolean> acceptedOverTls() {
        return List.copyOf(acceptedOverTls);
    }

    /** The mails taken, each as the data the client sent (headers and body). */
    List<String> accepted() {
        return List.copyOf(accepted);
    }

    /** Every command line received. */
    List<String> commands() {
        return List.copyOf(commands);
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                Thread session = new Thread(() -> serve(client), "scripted-smtp-session");
                session.setDaemon(true);
                session.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket plain) {
        Socket client = plain;
        try {
            BufferedReader in = reader(client);
            OutputStream out = client.getOutputStream();
            boolean secure = false;
            reply(out, "220 scripted.test ESMTP");
            int recipients = 0;
            String line;
            while ((line = in.readLine()) != null) {
                commands.add(line);
                String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase(Locale.ROOT) : line;
                if (line.equalsIgnoreCase("STARTTLS") && tls != null && !secure) {
                    reply(out, "220 2.0.0 ready to start TLS");
                    SSLSocket upgraded = (SSLSocket) tls.getSocketFactory()
                            .createSocket(client, client.getInetAddress().getHostAddress(), client.getPort(), true);
                    upgraded.setUseClientMode(false);
                    upgraded.startHandshake();
                    client = upgraded;
                    in = reader(client);
                    out = client.getOutputStream();
                    secure = true;
                    recipients = 0;
                    continue;
                }
                switch (verb) {
                    case "EHLO" ->
                        reply(out, tls != null && !secure ? "250-scripted.test\r\n250 STARTTLS" : "250 scripted.test");
                    case "HELO" -> reply(out, "250 scripted.test");
                    case "MAIL" -> {
                        recipients = 0;
                        reply(out, "250 2.1.0 OK");
                    }
                    case "RCPT" -> {
                        String address = line.substring(line.indexOf('<') + 1, line.lastIndexOf('>'))
                                .toLowerCase(Locale.ROOT);
                        String answer = rcptReplies.getOrDefault(address, "250 2.1.5 OK");
                        if (answer.startsWith("2")) {
                            recipients++;
                        }
                        reply(out, answer);
                    }
                    case "DATA" -> {
                        if (recipients == 0) {
                            reply(out, "554 5.5.1 no valid recipients");
                            continue;
                        }
                        reply(out, "354 end data with <CR><LF>.<CR><LF>");
                        StringBuilder data = new StringBuilder();
                        String dataLine;
                        while ((dataLine = in.readLine()) != null && !dataLine.equals(".")) {
                            data.append(dataLine.startsWith("..") ? dataLine.substring(1) : dataLine)
                                    .append("\r\n");
                        }
                        accepted.add(data.toString());
                        acceptedOverTls.add(secure);
                        recipients = 0;
                        reply(out, "250 2.0.0 queued");
                    }
                    case "RSET" -> {
                        recipients = 0;
                        reply(out, "250 2.0.0 OK");
                    }
                    case "NOOP" -> reply(out, "250 2.0.0 OK");
                    case "QUIT" -> {
                        reply(out, "221 2.0.0 bye");
                        return;
                    }
                    default -> reply(out, "502 5.5.2 command not implemented");
                }
            }
        } catch (IOException e) {
            // the client went away, or refused the handshake
        } finally {
            try {
                client.close();
            } catch (IOException ignored) {
                // closed either way
            }
        }
    }

    private static BufferedReader reader(Socket socket) throws IOException {
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
    }

    private static void reply(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
