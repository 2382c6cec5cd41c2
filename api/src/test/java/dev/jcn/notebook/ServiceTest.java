package dev.jcn.notebook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jcn.notebook.spi.Host;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ServiceTest {

    /** A host that marks the threads a service's code creates, the way a kernel would. */
    private static final class MarkingHost implements Host {
        final InheritableThreadLocal<String> owner = new InheritableThreadLocal<>();

        @Override
        public void display(MimeBundle bundle, String displayId, boolean update) {}

        @Override
        public void clearOutput(boolean wait) {}

        @Override
        public <R> R inService(Service<?> service, Callable<R> code) throws Exception {
            String before = owner.get();
            owner.set(service.name());
            try {
                return code.call();
            } finally {
                owner.set(before);
            }
        }
    }

    private final MarkingHost host = new MarkingHost();

    @BeforeEach
    void install() {
        Host.install(host);
    }

    @AfterEach
    void uninstall() {
        Service.all().forEach(Service::close);
        Host.install(Host.STANDALONE);
    }

    @Test
    void threadsMadeWhileStartingOrByTheFactoryBelongToTheService() throws Exception {
        List<String> owners = new CopyOnWriteArrayList<>();
        Runnable report = () -> owners.add(String.valueOf(host.owner.get()));
        Service<Thread> svc = Service.start("member", () -> Thread.ofPlatform().start(report), Thread::interrupt);
        svc.value().join();
        Thread fromFactory = svc.threadFactory().newThread(report);
        fromFactory.start();
        fromFactory.join();
        assertThat(fromFactory.getName()).isEqualTo("member-1");
        Thread plain = Thread.ofPlatform().start(report);
        plain.join();
        assertThat(owners).containsExactly("member", "member", "null");
        assertThat(host.owner.get()).isNull();
    }

    @Test
    void namesAreUniqueAmongOpenServicesAndFreedByClosing() throws Exception {
        List<String> closed = new ArrayList<>();
        Service<String> first = Service.start("db", () -> "one", closed::add);
        assertThatThrownBy(() -> Service.start("db", () -> "two", closed::add))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already running");
        assertThat(Service.named("db")).containsSame(first);
        first.close();
        first.close();
        assertThat(closed).containsExactly("one");
        assertThat(first.isOpen()).isFalse();
        assertThat(Service.named("db")).isEmpty();
        Service<String> second = Service.start("db", () -> "two", closed::add);
        assertThat(Service.all()).containsExactly(second);
    }

    @Test
    void aFailedStartLeavesNoOpenService() {
        assertThatThrownBy(() -> Service.start("flaky", () -> { throw new java.io.IOException("port taken"); }, v -> { }))
                .isInstanceOf(java.io.IOException.class).hasMessage("port taken");
        assertThat(Service.named("flaky")).isEmpty();
    }

    @Test
    void theCloseActionRunsInTheServiceScopeAndItsFailureIsThrownOnce() throws Exception {
        List<String> scopes = new ArrayList<>();
        Service<String> svc = Service.start("grumpy", () -> "v", v -> {
            scopes.add(host.owner.get());
            throw new IllegalStateException("would not stop");
        });
        assertThatThrownBy(svc::close).hasMessage("would not stop");
        svc.close();
        assertThat(scopes).containsExactly("grumpy");
        assertThat(svc.isOpen()).isFalse();
    }

    @Test
    void badArgumentsAreRefusedWithOneLine() {
        assertThatThrownBy(() -> Service.start(" ", () -> 1, v -> { })).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Service.start("two\nlines", () -> 1, v -> { })).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Service.start("x", null, v -> { })).isInstanceOf(IllegalArgumentException.class);
    }
}
