package io.vigil.ingest;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * One permit per message the bridge holds unacknowledged: the back-pressure that bounds its memory by
 * the MQTT receive maximum, however long Kafka is away. MQTT 5 brokers should never send more than the
 * receive maximum, but mosquitto 2.0.11 does when the bridge's socket is back-pressured (measured:
 * 3,500 against 1,000); waiting for a permit on Paho's callback thread stops reading the socket, so the
 * excess stays with the broker and the bridge's memory stays bounded whatever it does.
 */
final class InFlightSlots {

    /** How often a waiting taker looks whether the bridge is closing. */
    private static final long POLL_MS = 200;

    private final Semaphore permits;
    private volatile boolean closed;

    InFlightSlots(int receiveMaximum) {
        this.permits = new Semaphore(receiveMaximum);
    }

    /** Waits for a free slot; false once {@link #close} was called (the message is left to the broker). */
    boolean take() {
        try {
            while (!closed) {
                if (permits.tryAcquire(POLL_MS, TimeUnit.MILLISECONDS)) {
                    if (!closed) {
                        return true;
                    }
                    permits.release();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    /** A message was acknowledged to the broker, or abandoned to it. */
    void release() {
        permits.release();
    }

    /** No slot is handed out from now on. */
    void close() {
        closed = true;
    }

    boolean isClosed() {
        return closed;
    }
}
