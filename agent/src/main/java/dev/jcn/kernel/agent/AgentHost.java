package dev.jcn.kernel.agent;

import dev.jcn.kernel.wire.Event;
import dev.jcn.notebook.MimeBundle;
import dev.jcn.notebook.Service;
import dev.jcn.notebook.spi.CommFrame;
import dev.jcn.notebook.spi.Host;
import dev.jcn.notebook.spi.OutputSink;
import java.io.InterruptedIOException;
import java.util.concurrent.Callable;

/**
 * The notebook API's {@link Host} in the user JVM: displays go to the calling thread's cell, and
 * service scopes mark the threads created in them. A display from a service's thread goes to the
 * kernel log with the rest of the service's output.
 *
 * <pre>{@code
 * Host.install(new AgentHost(outbox, capture::flush, stdin, comms));
 * }</pre>
 */
final class AgentHost implements Host {

    private final Outbox outbox;
    private final Runnable flushOutput;
    private final StdinRelay stdin;
    private final CommHandlers comms;

    AgentHost(Outbox outbox, Runnable flushOutput, StdinRelay stdin, CommHandlers comms) {
        this.outbox = outbox;
        this.flushOutput = flushOutput;
        this.stdin = stdin;
        this.comms = comms;
    }

    @Override
    public void sendComm(CommFrame frame) {
        // What the thread printed before goes out first, as the frontend would have seen it.
        flushOutput.run();
        int cell = Cells.current();
        if (frame.kind() == CommFrame.Kind.OPEN) {
            comms.opened(frame.commId(), cell);
        }
        outbox.send(new Event.Comm(cell, frame));
    }

    @Override
    public void divertOutput(OutputSink sink, Runnable code) {
        OutputCapture.divert(sink, code);
    }

    @Override
    public String readLine(String prompt, boolean password) {
        try {
            return stdin.readLine(prompt, password);
        } catch (InterruptedIOException e) {
            return null;
        }
    }

    @Override
    public void display(MimeBundle bundle, String displayId, boolean update) {
        OutputSink to = OutputCapture.diverted();
        if (to != null) {
            to.display(bundle);
            return;
        }
        flushOutput.run();
        Service<?> service = Cells.currentService();
        if (service != null) {
            outbox.send(new Event.Log("[service " + service.name() + "] display: " + bundle.text()));
        } else {
            outbox.send(new Event.Display(Cells.current(), bundle, displayId, update));
        }
    }

    @Override
    public void clearOutput(boolean wait) {
        OutputSink to = OutputCapture.diverted();
        if (to != null) {
            to.clear(wait);
        } else if (Cells.currentService() == null) {
            flushOutput.run();
            outbox.send(new Event.Clear(Cells.current(), wait));
        }
    }

    @Override
    public <R> R inService(Service<?> service, Callable<R> code) throws Exception {
        return Cells.inService(service, code);
    }
}
