package io.vigil.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Free loopback TCP ports, chosen up front for brokers that need their ports in their config. */
public final class FreePorts {

    private FreePorts() {
    }

    /**
     * A port that was free a moment ago. There is a small race until the broker binds it; brokers
     * here bind within a second of the call, which is the usual trade-off of fixed-port configs.
     */
    public static int pick() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }
}
