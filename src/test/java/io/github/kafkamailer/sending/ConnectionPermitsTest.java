package io.github.kafkamailer.sending;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConnectionPermitsTest {
    /** A claimant that takes every permit it is offered, and remembers how many. */
    private static final class Taker implements ConnectionPermits.Claimant {
        final String tenant;
        final List<Integer> granted = new ArrayList<>();
        Runnable onAccept = () -> { };

        Taker(String tenant) {
            this.tenant = tenant;
        }

        @Override
        public String tenant() {
            return tenant;
        }

        @Override
        public boolean accept() {
            granted.add(granted.size() + 1);
            onAccept.run();
            return true;
        }
    }

    @Test
    void shouldNotAskALaneToYieldToItsOwnTenantsWaitingLanes() {
        ConnectionPermits permits = new ConnectionPermits(10);
        Taker a = new Taker("a");
        List<Boolean> seenWhileGranting = new ArrayList<>();
        // While its run still waits for its other lanes, the first lane asks whether to yield: nobody else waits.
        a.onAccept = () -> {
            seenWhileGranting.add(permits.shouldYield("a", true));
            seenWhileGranting.add(permits.othersWaiting("a"));
        };

        permits.request(a, 4);

        assertThat(a.granted).hasSize(4);
        assertThat(seenWhileGranting).containsOnly(false);
    }

    @Test
    void shouldYieldToAnotherTenantThatHoldsFewer() {
        ConnectionPermits permits = new ConnectionPermits(2);
        Taker a = new Taker("a");
        Taker b = new Taker("b");
        permits.request(a, 2);
        permits.request(b, 1);

        assertThat(b.granted).isEmpty();
        assertThat(permits.othersWaiting("a")).isTrue();
        assertThat(permits.othersWaiting("b")).isFalse();
        assertThat(permits.shouldYield("a", false)).as("b holds none, a holds two").isTrue();

        permits.release(a);

        assertThat(b.granted).hasSize(1);
        assertThat(permits.inUse()).isEqualTo(2);
    }
}
