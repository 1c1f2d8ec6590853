package io.github.kafkamailer.probe;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The few SMTP exchanges a probe makes by hand, before any credentials: the greeting, EHLO and STARTTLS. Angus
 * Mail hides these (it upgrades or fails as a whole); a person testing a config wants to see each one.
 */
final class SmtpDialogue {
    /** A reply: its code and its lines (without the code). */
    record Reply(int code, List<String> lines) {
        String text() {
            return code + " " + String.join(" / ", lines);
        }
    }

    private final BufferedReader in;
    private final OutputStream out;

    SmtpDialogue(Socket socket) throws IOException {
        this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
        this.out = socket.getOutputStream();
    }

    Reply read() throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = in.readLine();
            if (line == null) {
                throw new IOException("the server closed the connection");
            }
            if (line.length() < 3) {
                throw new IOException("not an SMTP reply: " + line);
            }
            int code;
            try {
                code = Integer.parseInt(line.substring(0, 3));
            } catch (NumberFormatException e) {
                throw new IOException("not an SMTP reply: " + line);
            }
            lines.add(line.length() > 4 ? line.substring(4) : "");
            if (line.length() == 3 || line.charAt(3) != '-') {
                return new Reply(code, lines);
            }
            if (lines.size() > 200) {
                throw new IOException("endless reply");
            }
        }
    }

    Reply command(String command) throws IOException {
        out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return read();
    }

    /** The extension keywords of an EHLO reply, upper case ({@code STARTTLS}, {@code AUTH}, ...). */
    static List<String> extensions(Reply ehlo) {
        List<String> out = new ArrayList<>();
        for (int i = 1; i < ehlo.lines().size(); i++) {
            String l = ehlo.lines().get(i).strip();
            out.add((l.contains(" ") ? l.substring(0, l.indexOf(' ')) : l).toUpperCase(Locale.ROOT));
        }
        return out;
    }
}
