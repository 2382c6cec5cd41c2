package dev.jcn.helpers.cluster;

import java.io.Serializable;

/**
 * One time a member took a job: which member, and when (nanoseconds since the epoch, on that member's clock).
 *
 * @param number     1 for the first attempt, 2 after a redelivery, ...
 * @param member     the member's UUID
 * @param address    the member's address ("127.0.0.1:41234")
 * @param startNanos when it took the job
 */
public record Attempt(int number, String member, String address, long startNanos) implements Serializable {
}
