"""aiospec process adapter for CPython: newline-delimited JSON on stdin/stdout.

    python3 server.py

Prints a `hello`, then answers each `run` request with one `result` (or
`error`), in order; exits on `bye` or end of input. A warm parent (asyncio,
threading, concurrent.futures, ... imported and patched once) forks a fresh
child per scenario, so default task names (`Task-N`), thread names and all
global state start afresh every time. The child runs the program under
virtual time (vtime.py), writes its RunResult to the parent through a pipe
and exits. The next child is forked ahead of time, while the parent waits
for the current one, so a fork costs no latency.

Environment: AIOSPEC_TIMEOUT (real-time watchdog per scenario, seconds,
default 10); AIOSPEC_WARMUP (below). Nothing but protocol messages is ever
written to stdout.

    python3 server.py --in-process

runs every scenario in the server process itself (no fork, as under
Pyodide): about ten times faster, but not oracle-grade. Globals the adapter
does not know of can leak from one scenario to the next, default task names
are given by the adapter (vtime.NAME_TASKS), there is no real-time
watchdog, and no threads may be left behind by a scenario.
"""
import json
import os
import platform
import select
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import vtime  # noqa: E402

PROTOCOL = 1
#: Real-time watchdog per scenario (seconds).
TIMEOUT = float(os.environ.get('AIOSPEC_TIMEOUT', '10'))

#: Whether a pre-forked child warms its pages up while it waits for its
#: scenario (AIOSPEC_WARMUP=1/0). It moves ~500 copy-on-write page faults off
#: the critical path, at the price of CPU: a win with idle cores, a loss on a
#: saturated machine. Default: on with 4 or more CPUs.
WARM_UP = os.environ.get('AIOSPEC_WARMUP', '1' if (os.cpu_count() or 1) >= 4 else '0') == '1'


def hello():
    return {
        'type': 'hello',
        'protocol': PROTOCOL,
        'implementation': {'name': 'cpython', 'version': platform.python_version()},
        'python': platform.python_version(),
        'capabilities': vtime.capabilities(threads=True),
    }


class Child(object):
    """A forked child waiting for its program on `req_w`; answers on `res_r`."""

    def __init__(self, pid, req_w, res_r):
        self.pid = pid
        self.req_w = req_w
        self.res_r = res_r


def _write_all(fd, data):
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def _read_all(fd):
    chunks = []
    while True:
        b = os.read(fd, 65536)
        if not b:
            return b''.join(chunks)
        chunks.append(b)


def _child_main(req_r, res_w):
    """In the forked child: read the program, run it, answer, exit."""
    try:
        devnull = os.open(os.devnull, os.O_RDWR)
        os.dup2(devnull, 0)
        os.dup2(devnull, 1)       # protect the protocol channel
        os.close(devnull)
        if WARM_UP:
            vtime.warm_up()
        data = _read_all(req_r)
        os.close(req_r)
        if not data:
            os._exit(0)           # the parent is closing down
        req = json.loads(data.decode('utf-8'))
        # Backstop if the parent dies before it can kill a runaway child:
        # SIGALRM's default action ends the process.
        signal.alarm(int(TIMEOUT) + 2)

        def on_result(result):
            result['type'] = 'result'
            result['seq'] = req['seq']
            _write_all(res_w, json.dumps(result).encode('utf-8'))
            os.close(res_w)

        vtime.run_source(req['source'], on_result)
    except BaseException:
        import traceback
        try:
            _write_all(res_w, json.dumps({'type': 'error', 'seq': 0, 'message': 'adapter child failed',
                                          'detail': traceback.format_exc() + vtime.stderr_text()}).encode('utf-8'))
        except BaseException:
            pass
    os._exit(0)


def spawn():
    req_r, req_w = os.pipe()
    res_r, res_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(req_w)
        os.close(res_r)
        _child_main(req_r, res_w)
        os._exit(0)
    os.close(req_r)
    os.close(res_w)
    return Child(pid, req_w, res_r)


#: Children that have answered (or been killed) and may not have exited yet.
_zombies = []


def reap(child, kill=False, block=False):
    """Close our ends of the child's pipes; collect it now if `block`, else
    later (a child's exit takes milliseconds here, spent in parallel)."""
    for fd in (child.req_w, child.res_r):
        if fd is not None:
            try:
                os.close(fd)
            except OSError:
                pass
    child.req_w = child.res_r = None
    if kill:
        try:
            os.kill(child.pid, signal.SIGKILL)
        except OSError:
            pass
    if block:
        try:
            return os.waitpid(child.pid, 0)[1]
        except OSError:
            pass
    else:
        _zombies.append(child.pid)
    return None


def exit_description(status):
    """How a child ended, from its os.waitpid status."""
    if status is None:
        return 'exit status unknown'
    if os.WIFSIGNALED(status):
        return 'killed by signal %d' % os.WTERMSIG(status)
    if os.WIFEXITED(status):
        return 'exit status %d' % os.WEXITSTATUS(status)
    return 'wait status %d' % status


def collect_zombies(block=False):
    for pid in list(_zombies):
        try:
            done, _ = os.waitpid(pid, 0 if block else os.WNOHANG)
        except OSError:
            done = pid
        if done:
            _zombies.remove(pid)


def send_to(child, req):
    """Hand `req` to the pre-forked child (it starts running at once)."""
    try:
        _write_all(child.req_w, json.dumps(req).encode('utf-8'))
    finally:
        os.close(child.req_w)
        child.req_w = None


def wait_for(child, seq, timeout):
    """The child's reply message, or an error after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    chunks = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            reap(child, kill=True)
            return {'type': 'error', 'seq': seq,
                    'message': 'timed out after %gs of real time (a livelock, an endless virtual '
                               'timeline, or a blocking call the adapter does not virtualize)' % timeout}
        r, _, _ = select.select([child.res_r], [], [], left)
        if not r:
            continue
        b = os.read(child.res_r, 65536)
        if not b:
            break
        chunks.append(b)
    data = b''.join(chunks)
    if not data:
        # The pipe closed with nothing on it: the child has ended (or is
        # ending), so wait for it and say how (a signal, os._exit(N), ...).
        status = reap(child, block=True)
        return {'type': 'error', 'seq': seq,
                'message': 'the scenario process died without a result (%s)' % exit_description(status)}
    reap(child)
    try:
        msg = json.loads(data.decode('utf-8'))
    except ValueError as e:
        return {'type': 'error', 'seq': seq, 'message': 'unreadable result from the scenario process: %s' % e}
    msg['seq'] = seq
    return msg


def read_requests(stdin, send):
    """The requests on stdin, one JSON object a line, up to the end of input
    or a 'bye'. Blank lines are skipped; an unreadable one is answered with
    an error (seq 0) and skipped."""
    while True:
        line = stdin.readline()
        if not line:
            return
        line = line.strip()
        if not line:
            continue
        try:
            req = json.loads(line.decode('utf-8') if isinstance(line, bytes) else line)
        except ValueError as e:
            send({'type': 'error', 'seq': 0, 'message': 'unreadable request: %s' % e})
            continue
        if req.get('type') == 'bye':
            return
        yield req


def serve_in_process(send, stdin):
    """--in-process: no fork (see the module docstring)."""
    import traceback
    for req in read_requests(stdin, send):
        seq = req.get('seq', 0)
        if req.get('type') != 'run' or not isinstance(req.get('source'), str):
            send({'type': 'error', 'seq': seq, 'message': 'expected a run request with source'})
            continue
        try:
            result = vtime.run_in_process(req['source'])
        except BaseException:
            send({'type': 'error', 'seq': seq, 'message': 'the adapter failed to run the scenario',
                  'detail': traceback.format_exc()})
            continue
        result['type'] = 'result'
        result['seq'] = seq
        send(result)


def main():
    vtime.install()
    import gc
    gc.collect()
    if hasattr(gc, 'freeze'):
        gc.freeze()
    timeout = TIMEOUT
    out = sys.stdout
    stdin = sys.stdin.buffer if hasattr(sys.stdin, 'buffer') else sys.stdin

    def send(msg):
        out.write(json.dumps(msg) + '\n')
        out.flush()

    send(hello())
    if '--in-process' in sys.argv[1:]:
        serve_in_process(send, stdin)
        return
    spare = spawn()
    try:
        for req in read_requests(stdin, send):
            kind = req.get('type')
            if kind != 'run':
                send({'type': 'error', 'seq': req.get('seq', 0) or 0,
                      'message': 'unknown request type %r' % (kind,)})
                continue
            seq = req.get('seq', 0)
            source = req.get('source')
            if not isinstance(source, str):
                send({'type': 'error', 'seq': seq,
                      'message': "this adapter runs Python source: the request has no 'source' "
                                 "(capability 'python-source')"})
                continue
            child, spare = spare, None
            try:
                send_to(child, {'seq': seq, 'source': source})
            except OSError as e:
                reap(child, kill=True)
                spare = spawn()
                send({'type': 'error', 'seq': seq, 'message': 'could not start the scenario: %s' % e})
                continue
            spare = spawn()      # forked while the child runs
            send(wait_for(child, seq, timeout))
            collect_zombies()
    finally:
        if spare is not None:
            reap(spare)          # EOF on its request pipe: the spare exits
        collect_zombies(block=True)


if __name__ == '__main__':
    main()
