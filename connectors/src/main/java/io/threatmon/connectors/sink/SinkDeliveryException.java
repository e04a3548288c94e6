package io.threatmon.connectors.sink;

import java.io.IOException;

/**
 * A sink could not deliver events: the SIEM refused them for good (an HTTP 4xx other than 429), or
 * every retry failed. Thrown from the Flink sink writer, so the job fails with this message instead
 * of losing the events; it names the target (never a secret) and what went wrong.
 */
public final class SinkDeliveryException extends IOException {

    private static final long serialVersionUID = 1L;

    private final boolean permanent;

    SinkDeliveryException(String message, boolean permanent, Throwable cause) {
        super(message, cause);
        this.permanent = permanent;
    }

    /** True when retrying cannot help (the SIEM rejected the request); false when the retries ran out. */
    public boolean permanent() {
        return permanent;
    }
}
