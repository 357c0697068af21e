"""Run one aiospec program under virtual time and print its trace.

    python3 run_one.py [--json] [--stderr] [--timeout SECONDS] [FILE]

The program is read from FILE, or from stdin. Output (default):

    0        hello
    1.5      warning RuntimeWarning: coroutine 'f' was never awaited
    2        log ERROR: Task exception was never retrieved
    outcome  returned None
    task     Task-1 finished 'x'

With --json: the RunResult (conformance/results.ts) as one JSON line.
With --stderr: the program's stderr (thread tracebacks, ...) after the trace.
Exit status 0 whatever the program did; 2 on usage errors; the real-time
watchdog (default 10 s) dumps the threads' stacks and exits 3.
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import vtime  # noqa: E402


def fmt_time(t):
    if t == int(t) and abs(t) < 1e15:
        return str(int(t))
    return repr(t)


def render(result):
    lines = []
    for e in result['events']:
        t = fmt_time(e['t']).ljust(8)
        if e['kind'] == 'print':
            lines.append('%s %s' % (t, e['text']))
        elif e['kind'] == 'warning':
            lines.append('%s warning %s: %s' % (t, e['category'], e['message']))
        else:
            lines.append('%s log %s: %s' % (t, e['level'], e['message']))
    o = result['outcome']
    if o['kind'] == 'returned':
        lines.append('outcome  returned %s' % o['repr'])
    elif o['kind'] == 'raised':
        lines.append('outcome  raised %s(%s): %s' % (o['type'], ', '.join(o['args']), o['str']))
    else:
        lines.append('outcome  deadlock')
    for task in result['tasks']:
        value = (' ' + task['value']) if 'value' in task else ''
        lines.append('task     %s %s%s' % (task['name'], task['state'], value))
    return '\n'.join(lines) + '\n'


def main(argv):
    as_json = False
    show_stderr = False
    timeout = float(os.environ.get('AIOSPEC_TIMEOUT', '10'))
    path = None
    it = iter(argv)
    for a in it:
        if a == '--json':
            as_json = True
        elif a == '--stderr':
            show_stderr = True
        elif a == '--timeout':
            timeout = float(next(it))
        elif a in ('-h', '--help'):
            sys.stdout.write(__doc__)
            return 0
        elif path is None:
            path = a
        else:
            sys.stderr.write('usage: run_one.py [--json] [--stderr] [--timeout S] [FILE]\n')
            return 2
    if path is None or path == '-':
        source = sys.stdin.read()
        filename = '<scenario>'
    else:
        with open(path) as f:
            source = f.read()
        filename = path
    real_stdout = sys.stdout
    real_stderr = sys.stderr
    import faulthandler
    faulthandler.dump_traceback_later(timeout, exit=True)

    def on_result(result):
        faulthandler.cancel_dump_traceback_later()
        text = json.dumps(result) + '\n' if as_json else render(result)
        if show_stderr:
            err = vtime.stderr_text()
            if err:
                text += '--- stderr\n' + err
        real_stdout.write(text)
        real_stdout.flush()
        real_stderr.flush()

    vtime.run_source(source, on_result, filename=filename)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
