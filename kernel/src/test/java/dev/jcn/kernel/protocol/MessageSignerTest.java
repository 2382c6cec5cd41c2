package dev.jcn.kernel.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MessageSignerTest {

    private static List<byte[]> parts(String... s) {
        return java.util.Arrays.stream(s).map(x -> x.getBytes(StandardCharsets.UTF_8)).toList();
    }

    @Test
    void signatureIsTheHmacSha256OfTheConcatenatedParts() {
        // HMAC-SHA256("key", "The quick brown fox jumps over the lazy dog"), a published test vector.
        String expected = "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8";
        MessageSigner signer = new MessageSigner("key");

        assertThat(signer.sign(parts("The quick brown ", "fox jumps over ", "the lazy dog"))).isEqualTo(expected);
        assertThat(signer.verify(expected, parts("The quick brown fox jumps over the lazy dog"))).isTrue();
    }

    @Test
    void eachMessageIsSignedAloneWhenTheSignerIsReusedAndSharedByThreads() throws Exception {
        // the published vector of the test above; a Mac kept between messages must not carry one into the next
        String expected = "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8";
        MessageSigner signer = new MessageSigner("key");
        List<byte[]> fox = parts("The quick brown ", "fox jumps over ", "the lazy dog");
        String other = signer.sign(parts("another", "message"));

        assertThat(signer.sign(fox)).isEqualTo(expected);
        assertThat(signer.verify("0".repeat(64), fox)).isFalse();
        assertThat(signer.sign(fox)).isEqualTo(expected);
        assertThat(signer.sign(parts("another", "message"))).isEqualTo(other);

        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                results.add(pool.submit(() -> {
                    for (int n = 0; n < 2_000; n++) {
                        if (!signer.sign(fox).equals(expected) || !signer.sign(parts("another", "message")).equals(other)) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> r : results) {
                assertThat(r.get(30, TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void wrongOrTruncatedSignaturesAreRejected() {
        MessageSigner signer = new MessageSigner("key");
        String good = signer.sign(parts("a", "b"));

        assertThat(signer.verify(good.substring(1), parts("a", "b"))).isFalse();
        assertThat(signer.verify(good, parts("a", "c"))).isFalse();
        assertThat(signer.verify("", parts("a", "b"))).isFalse();
    }

    @Test
    void emptyKeyMeansUnsigned() {
        MessageSigner signer = new MessageSigner("");

        assertThat(signer.enabled()).isFalse();
        assertThat(signer.sign(parts("a"))).isEmpty();
        assertThat(signer.verify("anything", parts("a"))).isTrue();
    }
}
