"""aiospec's virtual-time runtime for real CPython (3.7 ... 3.14, stdlib only).

Implements spec/VIRTUAL-TIME.md on top of the interpreter's own asyncio:

- a virtual clock shared by every event loop of a scenario;
- an event loop (a BaseEventLoop subclass, installed through an event loop
  policy) whose selector never waits: ``select(timeout)`` is a blocking point
  of the calling participant with deadline ``clock + timeout``;
- real ``threading.Thread``s serialized by a baton, run in the schedule of
  the spec; ``time.sleep``, ``concurrent.futures.Future.result/exception`` and
  ``Thread.join`` block on the virtual clock;
- capture of prints, warnings, asyncio's ERROR logs, the outcome and the
  tasks (conformance/results.ts).

``install()`` patches the interpreter once (cheap to do in a warm parent
before forking); ``run_source(source, on_result)`` runs one program and calls
``on_result(result_dict)`` exactly once, then ends the process through
``exit_hook`` (``os._exit(0)`` by default): a deadlock may be detected on any
thread, where unwinding the program would run its code again.

Invariants:
- Exactly one participant (the main thread or a started thread) runs Python
  code of the scenario at a time; the others are parked on their own raw
  lock. Handing over the baton = releasing the next one's lock, then
  parking on one's own.
- The clock only moves in ``_Sched._pick_next``, when nothing is runnable,
  to the earliest deadline, and never backwards.
- Tasks are only weakly referenced by the adapter, so the program's object
  lifetimes (and thus "never retrieved"/"never awaited" reports) are CPython's.
  The adapter adds no Python frame between the loop and a task step: on
  3.12+ a materialized frame's f_back chain keeps callers' locals alive, so
  e.g. wrapping Handle._run delays "Task exception was never retrieved".
"""
import asyncio
import asyncio.base_events
import asyncio.events
import builtins
import collections
import concurrent.futures
import concurrent.futures._base as _cf_base
import contextvars
import gc
import io
import logging
import os
import sys
import threading
import time
import types
import warnings
import weakref
import _thread

PY = sys.version_info[:2]
_get_ident = _thread.get_ident
_allocate_lock = _thread.allocate_lock

_orig_sleep = time.sleep
_orig_thread_start = threading.Thread.start
_orig_thread_join = threading.Thread.join
_orig_thread_is_alive = threading.Thread.is_alive
_orig_future_init = _cf_base.Future.__init__
import asyncio.base_futures
_orig_future_repr_info = asyncio.base_futures._future_repr_info

#: The scheduler of the scenario running in this process (None outside one).
_SCHED = None
#: The task tracker of the scenario running in this process.
_TRACKER = None


#: In-process mode (Pyodide): give unnamed tasks created through a virtual
#: loop explicit names from a per-scenario counter, since CPython's C Task-N
#: counter cannot be reset without a fresh process. Off under fork, where the
#: C counter itself is the truth.
NAME_TASKS = False


#: What an implementation running on this module declares in its hello:
#: every name of spec/capabilities.yaml, plus 'python-source'. CPython is the
#: oracle, so the server declares all of them whatever its version: a feature
#: a release lacks (task names on 3.7, to_thread before 3.9) is part of that
#: release's behaviour, which scenarios record as per-version expectations
#: (versions are never capabilities).
CAPABILITIES = (
    'python-source', 'threads', 'thread-blocking', 'to-thread',
    'run-coroutine-threadsafe', 'task-stack', 'task-names', 'contextvars',
    'warnings', 'never-awaited-warning', 'debug-mode', 'exception-handler',
    'logging', 'shield', 'wait', 'as-completed', 'multiple-loops',
    'loop-argument', 'generator-coroutines', 'cancel-message',
    'task-groups', 'timeouts', 'cancelling', 'eager-tasks',
)

#: The capabilities that start a real thread. Without threads (Pyodide) the
#: rest still hold: time.sleep and Future.result(timeout) block the main
#: thread on the virtual clock, and run_coroutine_threadsafe /
#: call_soon_threadsafe work when called from the loop's own thread.
NEEDS_THREADS = ('threads', 'to-thread')


def capabilities(threads=True):
    """The capability names to declare; `threads`: whether the platform can
    start threads."""
    return [c for c in CAPABILITIES if threads or c not in NEEDS_THREADS]


class Deadlock(BaseException):
    """Internal: raised only when no exit hook ends the process."""


class ScenarioEnded(BaseException):
    """Raised by run_in_process's exit hook: the result is in, unwind."""


# ---------------------------------------------------------------------------
# The schedule (spec/VIRTUAL-TIME.md)


class _Part(object):
    """A participant: the main thread or a started thread."""

    __slots__ = ('thread', 'is_main', 'lock', 'parked', 'ident', 'ended',
                 'joiners', 'join_at_exit', '__weakref__')

    def __init__(self, thread, is_main=False):
        self.thread = thread
        self.is_main = is_main
        self.lock = _allocate_lock()
        self.lock.acquire()          # held while not running
        self.parked = _allocate_lock()
        self.parked.acquire()        # released by a new thread once it is about to park
        self.ident = None
        self.ended = False
        self.joiners = []            # waits of Thread.join on this participant
        self.join_at_exit = False


class _Wait(object):
    __slots__ = ('part', 'deadline', 'seq', 'chan', 'satisfied', 'timed_out')

    def __init__(self, part, deadline, seq, chan):
        self.part = part
        self.deadline = deadline
        self.seq = seq
        self.chan = chan
        self.satisfied = False
        self.timed_out = False


class _Sched(object):
    def __init__(self, on_deadlock):
        self.clock = 0.0
        self.seq = 0
        self.on_deadlock = on_deadlock
        self.main = _Part(threading.current_thread(), is_main=True)
        self.main.ident = _get_ident()
        self.by_ident = {self.main.ident: self.main}
        self.ready = collections.deque()     # satisfied thread participants, in order
        self.main_ready = False
        self.timed = []                      # unsatisfied waits with a deadline
        self.threads = []                    # started thread participants, not ended
        self.executor_counter = 0            # ThreadPoolExecutor-N (3.7/3.8)

    def current(self):
        return self.by_ident.get(_get_ident())

    # -- waits -------------------------------------------------------------

    def satisfy(self, w, timed_out):
        if w.satisfied:
            return
        w.satisfied = True
        w.timed_out = timed_out
        if w.deadline is not None:
            try:
                self.timed.remove(w)
            except ValueError:
                pass
        if w.chan is not None:
            try:
                w.chan.remove(w)
            except ValueError:
                pass
        if w.part.is_main:
            self.main_ready = True
        else:
            self.ready.append(w.part)

    def block(self, part, deadline, chan=None, already=False):
        """Block `part` (the running participant). Returns True when the wait
        was satisfied by what it waits for, False by its deadline."""
        seq = self.seq
        self.seq = seq + 1
        w = _Wait(part, deadline, seq, chan)
        if already:
            w.satisfied = True
            if part.is_main:
                self.main_ready = True
            else:
                self.ready.append(part)
        elif deadline is not None and deadline <= self.clock:
            w.satisfied = True
            w.timed_out = True
            if part.is_main:
                self.main_ready = True
            else:
                self.ready.append(part)
        else:
            if chan is not None:
                chan.append(w)
            if deadline is not None:
                self.timed.append(w)
        self._switch(part)
        return not w.timed_out

    def _pick_next(self):
        while True:
            if self.ready:
                return self.ready.popleft()
            if self.main_ready:
                self.main_ready = False
                return self.main
            if not self.timed:
                self.on_deadlock()
                raise Deadlock()
            earliest = min(w.deadline for w in self.timed)
            if earliest > self.clock:
                self.clock = earliest
            now = self.clock
            due = [w for w in self.timed if w.deadline <= now]
            due.sort(key=lambda w: (w.deadline, w.seq))
            for w in due:
                self.satisfy(w, True)

    def _switch(self, part):
        nxt = self._pick_next()
        if nxt is part:
            return
        nxt.lock.release()
        part.lock.acquire()

    # -- threads -----------------------------------------------------------

    def spawn(self, part):
        """Thread.start(): a newly started thread counts as satisfied."""
        self.threads.append(part)
        self.seq += 1
        self.ready.append(part)

    def thread_end(self, part):
        part.ended = True
        try:
            self.threads.remove(part)
        except ValueError:
            pass
        for w in list(part.joiners):
            self.satisfy(w, False)
        nxt = self._pick_next()
        nxt.lock.release()

    def exit_joins(self):
        """Interpreter exit: threading._shutdown joins non-daemon threads, then
        ThreadPoolExecutor's exit hook joins its workers."""
        while True:
            alive = [p for p in self.threads if not p.ended and not p.thread.daemon]
            if not alive:
                break
            alive[0].thread.join()
        while True:
            alive = [p for p in self.threads if not p.ended and p.join_at_exit]
            if not alive:
                break
            alive[0].thread.join()


# ---------------------------------------------------------------------------
# Blocking calls routed to the virtual clock


def _v_sleep(secs):
    s = _SCHED
    me = s.current() if s is not None else None
    if me is None:
        return _orig_sleep(secs)
    if type(secs) is not float and type(secs) is not int and type(secs) is not bool:
        if not isinstance(secs, (int, float)):
            return _orig_sleep(secs)      # raises CPython's own TypeError
        secs = float(secs) if isinstance(secs, float) else int(secs)
    if secs != secs or secs in (float('inf'), float('-inf')) or secs > 1e10:
        return _orig_sleep(secs)          # CPython's ValueError/OverflowError
    if secs < 0:
        raise ValueError('sleep length must be non-negative')
    s.block(me, s.clock + secs)


class _VCondition(object):
    """The `_condition` of a concurrent.futures.Future: a Condition whose
    wait is a blocking point on the virtual clock. The lock part is a no-op:
    participants are serialized."""

    __slots__ = ('_waits',)

    def __init__(self):
        self._waits = []

    def __enter__(self):
        return True

    def __exit__(self, *exc):
        return False

    def acquire(self, *args, **kwargs):
        return True

    def release(self):
        pass

    def _is_owned(self):
        return True

    def wait(self, timeout=None):
        s = _SCHED
        me = s.current() if s is not None else None
        if me is None:
            raise RuntimeError('aiospec: concurrent.futures wait outside a participant')
        deadline = None if timeout is None else s.clock + timeout
        return s.block(me, deadline, chan=self._waits)

    def wait_for(self, predicate, timeout=None):
        result = predicate()
        if result:
            return result
        s = _SCHED
        end = None if timeout is None else s.clock + timeout
        while not result:
            if end is not None:
                left = end - s.clock
                if left <= 0:
                    break
                self.wait(left)
            else:
                self.wait()
            result = predicate()
        return result

    def notify(self, n=1):
        s = _SCHED
        for w in list(self._waits[:n]):
            s.satisfy(w, False)

    def notify_all(self):
        s = _SCHED
        for w in list(self._waits):
            s.satisfy(w, False)

    notifyAll = notify_all


def _v_future_init(self, *args, **kwargs):
    _orig_future_init(self, *args, **kwargs)
    if _SCHED is not None:
        self._condition = _VCondition()


def _thread_excepthook(thread):
    hook = getattr(thread, '_invoke_excepthook', None)
    if hook is not None:
        hook(thread)
    else:  # 3.7
        import traceback
        try:
            sys.stderr.write('Exception in thread %s:\n%s\n' % (thread.name, traceback.format_exc()))
        except Exception:
            pass


def _v_thread_start(self):
    s = _SCHED
    me = s.current() if s is not None else None
    if me is None or getattr(self, '_vt_part', None) is not None or self._started.is_set():
        return _orig_thread_start(self)
    part = _Part(self)
    self._vt_part = part
    inner = self.run

    def run():
        part.ident = _get_ident()
        s.by_ident[part.ident] = part
        part.parked.release()
        part.lock.acquire()
        try:
            inner()
        except SystemExit:
            pass
        except BaseException:
            _thread_excepthook(self)
        finally:
            s.thread_end(part)

    self.run = run
    try:
        _orig_thread_start(self)
    except BaseException:
        del self.run
        self._vt_part = None
        raise
    part.parked.acquire()
    s.spawn(part)


def _v_thread_join(self, timeout=None):
    part = getattr(self, '_vt_part', None)
    s = _SCHED
    if part is None or s is None:
        return _orig_thread_join(self, timeout)
    if not self._started.is_set():
        raise RuntimeError('cannot join thread before it is started')
    if self is threading.current_thread():
        raise RuntimeError('cannot join current thread')
    if not part.ended:
        me = s.current()
        if me is None:
            return _orig_thread_join(self, timeout)
        deadline = None if timeout is None else s.clock + max(timeout, 0)
        s.block(me, deadline, chan=part.joiners)
    if part.ended:
        _orig_thread_join(self)   # the OS thread is only finishing its bootstrap


def _v_thread_is_alive(self):
    part = getattr(self, '_vt_part', None)
    if part is None or _SCHED is None:
        return _orig_thread_is_alive(self)
    return self._started.is_set() and not part.ended


# ---------------------------------------------------------------------------
# The event loop


class _VSelector(object):
    """Stands where BaseEventLoop._run_once expects `self._selector`."""

    def __init__(self, loop):
        self._loop = loop

    def select(self, timeout=None):
        loop = self._loop
        s = _SCHED
        me = s.current() if s is not None else None
        if me is None:
            raise RuntimeError('aiospec: event loop run outside a participant')
        deadline = None if timeout is None else s.clock + timeout
        if not s.threads and not s.ready:
            # Fast path: no thread exists, so the schedule reduces to this.
            if loop._vt_woken:
                loop._vt_woken = False
            elif deadline is None:
                s.on_deadlock()
                raise Deadlock()
            elif deadline > s.clock:
                s.clock = deadline
            if s.main_ready and me.is_main:
                s.main_ready = False
            return []
        chan = loop._vt_select
        by_event = s.block(me, deadline, chan=chan, already=loop._vt_woken)
        if by_event:
            loop._vt_woken = False   # _read_from_self drains the pipe
        return []

    def close(self):
        pass

    def get_map(self):
        return {}


def _executor_prefix():
    if PY >= (3, 9):
        return 'asyncio'
    s = _SCHED
    n = s.executor_counter
    s.executor_counter = n + 1
    return 'ThreadPoolExecutor-%d' % n


def _work_item(future, fn, args, kwargs):
    if not future.set_running_or_notify_cancel():
        return
    try:
        result = fn(*args, **kwargs)
    except BaseException as exc:
        future.set_exception(exc)
        # Break the reference cycle future -> exc -> traceback -> this frame
        # (CPython's _WorkItem.run does `self = None`).
        future = fn = args = kwargs = None
    else:
        future.set_result(result)


class _VExecutor(concurrent.futures.Executor):
    """The default executor: one new thread per job, started at submission."""

    def __init__(self, prefix):
        self._prefix = prefix
        self._threads = []
        self._shutdown = False

    def submit(self, fn, *args, **kwargs):
        if self._shutdown:
            raise RuntimeError('cannot schedule new futures after shutdown')
        f = concurrent.futures.Future()
        t = threading.Thread(name='%s_%d' % (self._prefix, len(self._threads)),
                             target=_work_item, args=(f, fn, args, kwargs))
        t.daemon = True
        self._threads.append(t)
        t.start()
        part = getattr(t, '_vt_part', None)
        if part is not None:
            part.join_at_exit = True
        return f

    def shutdown(self, wait=True, **kwargs):
        self._shutdown = True
        if wait:
            for t in list(self._threads):
                t.join()


class _VirtualLoop(asyncio.base_events.BaseEventLoop):
    """The virtual-time event loop. Named like CPython's Unix loop so that its
    repr is the same."""

    def __init__(self):
        super().__init__()
        self._clock_resolution = 1e-09
        self._vt_woken = False
        self._vt_select = []
        self._selector = _VSelector(self)

    def time(self):
        s = _SCHED
        return s.clock if s is not None else 0.0

    def _process_events(self, event_list):
        pass

    def _write_to_self(self):
        s = _SCHED
        self._vt_woken = True
        if s is not None:
            for w in list(self._vt_select):
                s.satisfy(w, False)

    def close(self):
        super().close()

    def create_task(self, coro, **kwargs):
        tr = _TRACKER
        if NAME_TASKS and tr is not None and PY >= (3, 8) and kwargs.get('name') is None:
            tr.name_counter += 1
            kwargs['name'] = 'Task-%d' % tr.name_counter
        task = super().create_task(coro, **kwargs)
        if tr is not None:
            tr.add(task)
            task.add_done_callback(_task_done)
        return task

    def call_soon(self, callback, *args, **kwargs):
        if callback is _task_done:
            # A task's done callbacks are being scheduled: it just became
            # done. Snapshot it and schedule nothing (no extra handle, no
            # extra reference).
            tr = _TRACKER
            if tr is not None:
                tr.done(args[0])
            return None
        return super().call_soon(callback, *args, **kwargs)

    def run_in_executor(self, executor, func, *args):
        if executor is None and self._default_executor is None:
            self._check_closed()
            if self._debug:
                self._check_callback(func, 'run_in_executor')
            check = getattr(self, '_check_default_executor', None)
            if check is not None:
                check()
            if _SCHED is not None:
                self._default_executor = _VExecutor(_executor_prefix())
        return super().run_in_executor(executor, func, *args)


_VirtualLoop.__name__ = '_UnixSelectorEventLoop'
_VirtualLoop.__qualname__ = '_UnixSelectorEventLoop'


def _policy_base():
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        import asyncio.unix_events as ue
        for name in ('_UnixDefaultEventLoopPolicy', '_DefaultEventLoopPolicy', 'DefaultEventLoopPolicy'):
            cls = getattr(ue, name, None)
            if cls is not None:
                return cls
        ev = asyncio.events
        return getattr(ev, 'BaseDefaultEventLoopPolicy', None) or getattr(ev, '_BaseDefaultEventLoopPolicy')


_PolicyBase = _policy_base()


class _VirtualPolicy(_PolicyBase):
    _loop_factory = _VirtualLoop

    def new_event_loop(self):
        return _VirtualLoop()


# ---------------------------------------------------------------------------
# Tasks


def _task_state(task):
    state = task._state
    if state == 'CANCELLED':
        return 'cancelled', None
    if state == 'FINISHED':
        exc = task._exception
        if exc is not None:
            return 'failed', _safe_repr(exc)
        return 'finished', _safe_repr(task._result)
    return 'pending', None


def _safe_repr(x):
    try:
        return repr(x)
    except BaseException as e:  # pragma: no cover
        return '<repr failed: %s>' % type(e).__name__


class _Tracker(object):
    """Every task created by a virtual loop, weakly referenced, in creation
    order; a task's final state is snapshotted when it becomes done."""

    def __init__(self):
        self.entries = []   # [weakref, name, snapshot or None]
        self.by_id = {}
        self.counter = 0    # 3.7: Task-N
        self.name_counter = 0   # NAME_TASKS

    def add(self, task):
        get_name = getattr(task, 'get_name', None)
        if get_name is not None:
            name = get_name()
        else:
            self.counter += 1
            name = 'Task-%d' % self.counter
        entry = [weakref.ref(task), name, None]
        self.entries.append(entry)
        self.by_id[id(task)] = entry
        if task.done():
            entry[2] = self._snap(task, name)

    def _snap(self, task, name):
        get_name = getattr(task, 'get_name', None)
        if get_name is not None:
            name = get_name()
        state, value = _task_state(task)
        return (name, state, value)

    def done(self, task):
        entry = self.by_id.get(id(task))
        if entry is not None and entry[0]() is task:
            entry[2] = self._snap(task, entry[1])

    def report(self):
        out = []
        for ref, name, snap in self.entries:
            task = ref()
            if task is not None:
                snap = self._snap(task, name)
            elif snap is None:
                snap = (name, 'pending', None)
            d = {'name': snap[0], 'state': snap[1]}
            if snap[2] is not None:
                d['value'] = snap[2]
            out.append(d)
        return out


def _task_done(task):
    """The adapter's done callback on every tracked task. Never scheduled:
    _VirtualLoop.call_soon intercepts it."""


class _HideDoneCallback(object):
    """What base_futures._future_repr_info sees of a tracked task: the task
    minus the adapter's done callback (so `repr(task)` is CPython's)."""

    __slots__ = ('_vt_fut',)

    def __init__(self, fut):
        object.__setattr__(self, '_vt_fut', fut)

    def __getattr__(self, name):
        value = getattr(object.__getattribute__(self, '_vt_fut'), name)
        if name == '_callbacks' and value:
            value = [cb for cb in value
                     if (cb[0] if isinstance(cb, tuple) else cb) is not _task_done]
        return value


def _v_future_repr_info(future):
    cbs = getattr(future, '_callbacks', None)
    if cbs:
        for cb in cbs:
            if (cb[0] if isinstance(cb, tuple) else cb) is _task_done:
                return _orig_future_repr_info(_HideDoneCallback(future))
    return _orig_future_repr_info(future)


# ---------------------------------------------------------------------------
# Capture


class _Capture(object):
    def __init__(self):
        self.events = []

    def now(self):
        s = _SCHED
        return s.clock if s is not None else 0.0


class _StdoutCapture(io.TextIOBase):
    """sys.stdout: one `print` event per completed line."""

    def __init__(self, capture):
        self._cap = capture
        self._buf = []

    @property
    def encoding(self):
        return 'utf-8'

    @property
    def errors(self):
        return 'strict'

    def writable(self):
        return True

    def isatty(self):
        return False

    def write(self, s):
        if not isinstance(s, str):
            raise TypeError('write() argument must be str, not %s' % type(s).__name__)
        if '\n' not in s:
            if s:
                self._buf.append(s)
            return len(s)
        parts = s.split('\n')
        events = self._cap.events
        t = self._cap.now()
        first = ''.join(self._buf) + parts[0]
        events.append({'t': t, 'kind': 'print', 'text': first})
        for line in parts[1:-1]:
            events.append({'t': t, 'kind': 'print', 'text': line})
        self._buf = [parts[-1]] if parts[-1] else []
        return len(s)

    def flush(self):
        pass

    def close_partial(self):
        if self._buf:
            self._cap.events.append({'t': self._cap.now(), 'kind': 'print', 'text': ''.join(self._buf)})
            self._buf = []


class _LogCapture(logging.Handler):
    def __init__(self, capture):
        logging.Handler.__init__(self, logging.ERROR)
        self._cap = capture

    def emit(self, record):
        try:
            msg = record.getMessage()
        except Exception:
            msg = str(record.msg)
        self._cap.events.append({'t': self._cap.now(), 'kind': 'log', 'level': record.levelname,
                                 'message': msg.split('\n', 1)[0]})


def _install_capture(capture):
    out = _StdoutCapture(capture)
    sys.stdout = out

    def showwarning(message, category, filename, lineno, file=None, line=None):
        if issubclass(category, ResourceWarning):
            return
        capture.events.append({'t': capture.now(), 'kind': 'warning',
                               'category': category.__name__, 'message': str(message)})

    warnings.showwarning = showwarning
    warnings.resetwarnings()
    warnings.simplefilter('always')
    logger = logging.getLogger('asyncio')
    for h in list(logger.handlers):
        logger.removeHandler(h)
    logger.addHandler(_LogCapture(capture))
    logger.propagate = False
    logger.setLevel(logging.NOTSET)
    return out


# ---------------------------------------------------------------------------
# Outcome


def type_name(cls):
    """Exception type name as INTERPRETING.md defines it."""
    mod = getattr(cls, '__module__', '') or ''
    name = getattr(cls, '__qualname__', cls.__name__)
    if mod == 'builtins':
        return name
    if mod == 'asyncio' or mod.startswith('asyncio.') or mod == '_asyncio':
        return 'asyncio.' + name
    if mod == 'concurrent.futures' or mod.startswith('concurrent.futures.'):
        return 'concurrent.futures.' + name
    return mod + '.' + name


def _raised(exc):
    try:
        args = [_safe_repr(a) for a in exc.args]
    except BaseException:
        args = []
    try:
        text = str(exc)
    except BaseException as e:
        text = '<str failed: %s>' % type(e).__name__
    return {'kind': 'raised', 'type': type_name(type(exc)), 'args': args, 'str': text}


# ---------------------------------------------------------------------------
# Installation and running


_INSTALLED = False


def install():
    """Patch the interpreter (idempotent). Harmless while no scenario runs:
    every patch falls back to CPython's own behaviour when _SCHED is None."""
    global _INSTALLED
    if _INSTALLED:
        return
    _INSTALLED = True
    time.sleep = _v_sleep
    threading.Thread.start = _v_thread_start
    threading.Thread.join = _v_thread_join
    threading.Thread.is_alive = _v_thread_is_alive
    _cf_base.Future.__init__ = _v_future_init
    asyncio.base_futures._future_repr_info = _v_future_repr_info
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        setter = getattr(asyncio.events, '_set_event_loop_policy', None) or asyncio.set_event_loop_policy
        setter(_VirtualPolicy())


def _default_exit():
    os._exit(0)


def run_source(source, on_result, exit_hook=_default_exit, filename='<scenario>'):
    """Run one program (Python source) under virtual time in this process.
    Calls on_result(RunResult dict) once, then exit_hook() (which must not
    return when called from a thread other than the main one)."""
    global _SCHED, _TRACKER
    install()
    capture = _Capture()
    done = []
    err_buffer = io.StringIO()

    def finish(outcome):
        if done:
            return
        done.append(True)
        out.close_partial()
        try:
            tasks = _TRACKER.report()
        except BaseException:
            tasks = []
        result = {'events': capture.events, 'outcome': outcome, 'tasks': tasks}
        on_result(result)
        exit_hook()

    def on_deadlock():
        finish({'kind': 'deadlock'})

    _SCHED = _Sched(on_deadlock)
    _TRACKER = _Tracker()
    sys.stderr = err_buffer
    out = _install_capture(capture)

    main_mod = types.ModuleType('__main__')
    ns = main_mod.__dict__
    ns['__builtins__'] = builtins
    ns['__file__'] = filename
    sys.modules['__main__'] = main_mod
    exc_holder = None
    try:
        code = compile(source, filename, 'exec')
        exec(code, ns)
    except (Deadlock, ScenarioEnded):
        raise
    except BaseException as e:
        exc_holder = e
        outcome = _raised(e)
    else:
        outcome = {'kind': 'returned', 'repr': _safe_repr(ns.get('__aiospec_result__'))}
    _SCHED.exit_joins()
    exc_holder = None
    ns.clear()
    del main_mod
    gc.collect()
    finish(outcome)


def _reset_globals():
    """What a fresh interpreter would have, for in-process runs."""
    import itertools
    threading._counter = itertools.count(1).__next__
    try:
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            getter = getattr(asyncio.events, '_get_event_loop_policy', None) or asyncio.get_event_loop_policy
            getter().set_event_loop(None)
    except Exception:
        pass
    asyncio.events._set_running_loop(None)


def _save_process_state():
    """The process-wide state a scenario run may change: standard streams,
    warnings hooks and filters, __main__, and the 'asyncio' logger."""
    logger = logging.getLogger('asyncio')
    return (sys.stdout, sys.stderr, warnings.showwarning, list(warnings.filters),
            sys.modules.get('__main__'),
            list(logger.handlers), logger.propagate, logger.level)


def _restore_process_state(saved):
    """Undo a run: drop the adapter's scheduler and tracker and put back what
    _save_process_state() recorded."""
    global _SCHED, _TRACKER
    _SCHED = None
    _TRACKER = None
    (stdout, stderr, showwarning, filters, main_mod,
     handlers, propagate, level) = saved
    sys.stdout, sys.stderr, warnings.showwarning = stdout, stderr, showwarning
    warnings.filters[:] = filters
    warnings._filters_mutated()
    if main_mod is not None:
        sys.modules['__main__'] = main_mod
    logger = logging.getLogger('asyncio')
    for h in list(logger.handlers):
        logger.removeHandler(h)
    for h in handlers:
        logger.addHandler(h)
    logger.propagate = propagate
    logger.setLevel(level)


def run_in_process(source, filename='<scenario>'):
    """Run one program in this process (no fork: Pyodide) and return its
    RunResult. Globals the adapter knows of are reset before and restored
    after; default task names come from NAME_TASKS."""
    global NAME_TASKS
    NAME_TASKS = True
    results = []
    saved = _save_process_state()

    def end():
        raise ScenarioEnded()

    _reset_globals()
    gc.collect()             # the same collector state before every scenario
    try:
        # A fresh, empty context, as the main thread of a new interpreter has.
        contextvars.Context().run(run_source, source, results.append, end, filename)
    except ScenarioEnded:
        pass
    finally:
        try:
            gc.collect()     # leftovers die while capture is still installed
        except ScenarioEnded:
            pass
        _restore_process_state(saved)
        _reset_globals()
    if not results:
        raise RuntimeError('aiospec: the scenario ended without a result')
    return results[0]


def stderr_text():
    err = sys.stderr
    return err.getvalue() if isinstance(err, io.StringIO) else ''


_WARM_SOURCE = '''
import asyncio, concurrent.futures, threading, time
async def _w(x, fut):
    await asyncio.sleep(x)
    print('w', x, asyncio.current_task() is not None)
    if x:
        await fut
    return x
def _cb(f):
    pass
loop = asyncio.new_event_loop()
try:
    fut = loop.create_future()
    loop.call_later(1.5, fut.set_result, 1)
    kw = {'name': 'aiospec-warm'} if hasattr(asyncio.Task, 'get_name') else {}
    t1 = loop.create_task(_w(0, fut), **kw)
    t2 = loop.create_task(_w(1, fut), **kw)
    t2.add_done_callback(_cb)
    loop.call_soon_threadsafe(_cb, None)
    cf = concurrent.futures.Future()
    cf.set_result(1)
    cf.result(0)
    __aiospec_result__ = loop.run_until_complete(asyncio.gather(t1, t2))
    repr(t1)
    try:
        raise ValueError('warm')
    except ValueError:
        pass
finally:
    loop.close()
'''


def warm_up():
    """Run a small program that touches the adapter's hot paths, creating
    only named tasks (the C Task-N counter stays at 0) and no thread, then
    restore every global the run changed. Meant for a freshly forked child
    while it waits for its scenario: the copy-on-write page faults and
    first-execution costs are then paid before the clock of the request
    starts."""
    saved = _save_process_state()
    try:
        import json
        run_source(_WARM_SOURCE, lambda r: json.dumps(r), exit_hook=lambda: None,
                   filename='<aiospec-warm-up>')
    finally:
        _restore_process_state(saved)
        asyncio.events._set_running_loop(None)
        gc.collect()
