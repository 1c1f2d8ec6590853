package io.github.kafkamailer.transport.smtp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.SocketFactory;
import javax.net.ssl.SSLSocketFactory;

/**
 * Sockets with TCP_NODELAY. Angus Mail leaves Nagle's algorithm on, and over a reused connection each small
 * SMTP command then waits for the previous segment's ACK: ten times fewer messages per second.
 */
final class NoDelaySocketFactory extends SocketFactory {
    private final SocketFactory delegate;
    private final OpenSockets open;

    NoDelaySocketFactory(SocketFactory delegate, OpenSockets open) {
        this.delegate = delegate;
        this.open = open;
    }

    static NoDelaySocketFactory plain(OpenSockets open) {
        return new NoDelaySocketFactory(SocketFactory.getDefault(), open);
    }

    static SSLSocketFactory tls(SSLSocketFactory delegate, OpenSockets open) {
        return new NoDelaySslSocketFactory(delegate, open);
    }

    /**
     * The sockets one session's factories made, so that a hung exchange can be ended from another thread:
     * Angus holds its transport's lock while it waits for a reply, so closing the transport would wait too;
     * closing the socket under it wakes the blocked read at once.
     */
    static final class OpenSockets {
        private final java.util.Set<Socket> sockets = java.util.concurrent.ConcurrentHashMap.newKeySet();

        Socket track(Socket s) {
            sockets.removeIf(Socket::isClosed);
            sockets.add(s);
            return s;
        }

        void closeAll() {
            for (Socket s : sockets) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // Already broken: that is what we wanted.
                }
            }
            sockets.clear();
        }
    }

    private Socket noDelay(Socket s) throws IOException {
        s.setTcpNoDelay(true);
        return open.track(s);
    }

    @Override
    public Socket createSocket() throws IOException {
        return noDelay(delegate.createSocket());
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return noDelay(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return noDelay(delegate.createSocket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return noDelay(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return noDelay(delegate.createSocket(address, port, localAddress, localPort));
    }

    /** The same for implicit TLS and STARTTLS, whose sockets come from an {@link SSLSocketFactory}. */
    private static final class NoDelaySslSocketFactory extends SSLSocketFactory {
        private final SSLSocketFactory delegate;
        private final OpenSockets open;

        NoDelaySslSocketFactory(SSLSocketFactory delegate, OpenSockets open) {
            this.delegate = delegate;
            this.open = open;
        }

        private Socket noDelay(Socket s) throws IOException {
            s.setTcpNoDelay(true);
            return open.track(s);
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return delegate.getDefaultCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return delegate.getSupportedCipherSuites();
        }

        @Override
        public Socket createSocket() throws IOException {
            return noDelay(delegate.createSocket());
        }

        @Override
        public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
            return noDelay(delegate.createSocket(s, host, port, autoClose));
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return noDelay(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return noDelay(delegate.createSocket(host, port, localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return noDelay(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            return noDelay(delegate.createSocket(address, port, localAddress, localPort));
        }
    }
}
