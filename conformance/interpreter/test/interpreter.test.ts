import { expect } from 'chai';
import { pythonTranscript, run, transcript } from './helpers';
import { FakeCoroutine } from './fake-session';

/**
 * Each case is a scenario program and the Python program it stands for; the
 * interpreter's printed lines and ending must equal what python3 prints for
 * the Python program.
 */
const CASES: [string, string, string][] = [
  [
    'prints values with sep and end, and buffers a line until its newline',
    `
module:
  - print: [1, 2.0, "a", null, true, [1, "b"], {tuple: [1]}]
  - print: [a, b]
    sep: "-"
    end: ""
  - print: c
  - print: []
  - print: {dict: [[a, 1], [2, [3]]]}
`,
    `
print(1, 2.0, "a", None, True, [1, "b"], (1,))
print("a", "b", sep="-", end="")
print("c")
print()
print({"a": 1, 2: [3]})
`,
  ],
  [
    'assigns, unpacks and computes with Python arithmetic',
    `
module:
  - set: {a: 7, b: -2}
  - set: {"q, r": {tuple: [{floordiv: [$a, $b]}, {mod: [$a, $b]}]}}
  - print: [$q, $r, {div: [$a, 2]}, {pow: [2, 100]}, {mul: [abc, 2]}, {add: [[1], [2]]}, {neg: 3.5}]
  - set: {"first, *rest": [1, 2, 3]}
  - print: [$first, $rest]
  - print: [{eq: [1, 1.0]}, {is: [null, null]}, {in: [2, $rest]}, {not_in: [x, abc]}, {lt: [[1, 2], [1, 3]]}]
  - print: [{and: [1, 0, 2]}, {or: [0, "", x]}, {not: []}, {if_else: [$a, yes, no]}]
`,
    `
a = 7; b = -2
q, r = (a // b, a % b)
print(q, r, a / 2, 2 ** 100, "abc" * 2, [1] + [2], -3.5)
first, *rest = [1, 2, 3]
print(first, rest)
print(1 == 1.0, None is None, 2 in rest, "x" not in "abc", [1, 2] < [1, 3])
print(1 and 0 and 2, 0 or "" or "x", not [], "yes" if a else "no")
`,
  ],
  [
    'runs if/elif/else, for over ranges, lists, dicts and strings, while with break and else',
    `
module:
  - set: {d: {dict: [[a, 1], [b, 2]]}}
  - for: i
    in: {call: [range, 5]}
    do:
      - if: {eq: [$i, 0]}
        then: [{print: zero}]
        elif:
          - if: {eq: [{mod: [$i, 2]}, 1]}
            then: [{print: {f: "odd {i}"}}, continue]
        else: [{print: {f: "even {i}"}}]
  - for: "k, v"
    in: {call: [$d.items]}
    do: [{print: [$k, $v]}]
  - for: ch
    in: hé😀
    do: [{print: $ch}]
  - set: {n: 0}
  - while: true
    do:
      - set: {n: {add: [$n, 1]}}
      - if: {gt: [$n, 3]}
        then: [break]
    else: [{print: never}]
  - while: {lt: [$n, 6]}
    do: [{set: {n: {add: [$n, 1]}}}]
    else: [{print: {f: "done at {n}"}}]
  - for: x
    in: []
    do: [pass]
    else: [{print: empty}]
`,
    `
d = {"a": 1, "b": 2}
for i in range(5):
    if i == 0:
        print("zero")
    elif i % 2 == 1:
        print(f"odd {i}"); continue
    else:
        print(f"even {i}")
for k, v in d.items():
    print(k, v)
for ch in "hé😀":
    print(ch)
n = 0
while True:
    n = n + 1
    if n > 3: break
else:
    print("never")
while n < 6:
    n = n + 1
else:
    print(f"done at {n}")
for x in []:
    pass
else:
    print("empty")
`,
  ],
  [
    'handles try/except/else/finally, tuples of classes, as-names, bare raise and raise from',
    `
functions:
  risky:
    params: [n]
    body:
      - if: {eq: [$n, 0]}
        then: [{return: {div: [1, $n]}}]
      - if: {eq: [$n, 1]}
        then: [{raise: {call: [ValueError, bad, 1]}}]
      - if: {eq: [$n, 2]}
        then: [{return: {item: [{dict: []}, missing]}}]
      - return: {mul: [$n, 10]}
  rethrow:
    body:
      - try:
          - call: [risky, 1]
        except:
          - type: ValueError
            do: [raise]
module:
  - for: n
    in: [0, 1, 2, 3]
    do:
      - try:
          - set: {r: {call: [risky, $n]}}
        except:
          - type: [KeyError, ZeroDivisionError]
            as: e
            do: [{print: [caught, {call: [type_name, $e]}, $e, {call: [repr, $e]}]}]
          - type: Exception
            as: e
            do: [{print: [other, $e.args, {call: [isinstance, $e, {tuple: [{name: TypeError}, {name: ValueError}]}]}]}]
        else: [{print: [ok, $r]}]
        finally: [{print: {f: "finally {n}"}}]
  - try:
      - call: [rethrow]
    except:
      - as: e
        do: [{print: {f: "re-raised {e!r}"}}]
  - try:
      - try:
          - raise: {call: [KeyError, k]}
        except:
          - type: KeyError
            as: e
            do: [{raise: {call: [RuntimeError, wrapped]}, from: $e}]
    except:
      - type: RuntimeError
        as: e
        do: [{print: [$e, {call: [repr, $e.__cause__]}]}]
  - try:
      - raise: {name: ValueError}
    except:
      - type: ValueError
        as: e
        do: [{print: {call: [repr, $e]}}]
  - print: {call: [str, {call: [KeyError, 'a b']}]}
`,
    `
def risky(n):
    if n == 0: return 1 / n
    if n == 1: raise ValueError("bad", 1)
    if n == 2: return {}["missing"]
    return n * 10
def rethrow():
    try:
        risky(1)
    except ValueError:
        raise
for n in [0, 1, 2, 3]:
    try:
        r = risky(n)
    except (KeyError, ZeroDivisionError) as e:
        print("caught", type(e).__name__, e, repr(e))
    except Exception as e:
        print("other", e.args, isinstance(e, (TypeError, ValueError)))
    else:
        print("ok", r)
    finally:
        print(f"finally {n}")
try:
    rethrow()
except BaseException as e:
    print(f"re-raised {e!r}")
try:
    try:
        raise KeyError("k")
    except KeyError as e:
        raise RuntimeError("wrapped") from e
except RuntimeError as e:
    print(e, repr(e.__cause__))
try:
    raise ValueError
except ValueError as e:
    print(repr(e))
print(str(KeyError("a b")))
`,
  ],
  [
    'deletes the except-as name after the handler and lets return in finally swallow the exception',
    `
functions:
  swallow:
    body:
      - try:
          - raise: {call: [ValueError, x]}
        finally:
          - return: swallowed
  probe:
    body:
      - set: {e: 1}
      - try:
          - raise: {call: [ValueError]}
        except:
          - type: ValueError
            as: e
            do: [pass]
      - return: $e
module:
  - print: {call: [swallow]}
  - print: {call: [probe]}
`,
    `
def swallow():
    try:
        raise ValueError("x")
    finally:
        return "swallowed"
def probe():
    e = 1
    try:
        raise ValueError()
    except ValueError as e:
        pass
    return e
print(swallow())
print(probe())
`,
  ],
  [
    'keeps function locals apart from globals, honours global, and raises UnboundLocalError',
    `
functions:
  bump:
    body:
      - global: [counter]
      - set: {counter: {add: [$counter, 1]}}
  shadow:
    body:
      - print: $counter
      - set: {counter: 0}
module:
  - set: {counter: 10}
  - call: [bump]
  - call: [bump]
  - print: $counter
  - call: [shadow]
`,
    `
def bump():
    global counter
    counter = counter + 1
def shadow():
    print(counter)
    counter = 0
counter = 10
bump(); bump()
print(counter)
shadow()
`,
  ],
  [
    'raises NameError for an unknown variable',
    `
module:
  - print: $nowhere
`,
    `
print(nowhere)
`,
  ],
  [
    'binds arguments with defaults, keywords and star-args, and reports binding errors as CPython does',
    `
functions:
  f:
    params: [a, {b: 2}, {c: [x]}]
    body: [{return: {tuple: [$a, $b, $c]}}]
  g:
    params: [a, b, c]
    body: [pass]
module:
  - print: {call: [f, 1]}
  - print: {call: [f, 1, 3], kwargs: {c: 4}}
  - print: {call: [f, {star: [5, 6]}]}
  - for: attempt
    in: [0, 1, 2, 3, 4]
    do:
      - try:
          - if: {eq: [$attempt, 0]}
            then: [{call: [f]}]
          - if: {eq: [$attempt, 1]}
            then: [{call: [f, 1, 2, 3, 4]}]
          - if: {eq: [$attempt, 2]}
            then: [{call: [f, 1], kwargs: {z: 1}}]
          - if: {eq: [$attempt, 3]}
            then: [{call: [f, 1], kwargs: {a: 1}}]
          - if: {eq: [$attempt, 4]}
            then: [{call: [g]}]
        except:
          - type: TypeError
            as: e
            do: [{print: $e}]
`,
    `
def f(a, b=2, c=["x"]):
    return (a, b, c)
def g(a, b, c):
    pass
print(f(1))
print(f(1, 3, c=4))
print(f(*[5, 6]))
for attempt in [0, 1, 2, 3, 4]:
    try:
        if attempt == 0: f()
        if attempt == 1: f(1, 2, 3, 4)
        if attempt == 2: f(1, z=1)
        if attempt == 3: f(1, a=1)
        if attempt == 4: g()
    except TypeError as e:
        print(e)
`,
  ],
  [
    'offers builtins and the methods of list, dict and str',
    `
functions:
  neg:
    params: [x]
    body: [{return: {neg: $x}}]
module:
  - set: {s: " Hello World ", sep: ", "}
  - set: {xs: [3, 1, 2]}
  - call: [$xs.append, 0]
  - call: [$xs.extend, {tuple: [9, 8]}]
  - print: [$xs, {call: [len, $xs]}, {call: [sorted, $xs]}, {call: [sorted, $xs], kwargs: {key: {name: neg}}}]
  - print: [{call: [sorted, $xs], kwargs: {reverse: true}}, {call: [$xs.pop]}, {call: [$xs.index, 2]}, {call: [$xs.count, 1]}]
  - call: [$xs.sort]
  - print: [$xs, {call: [min, $xs]}, {call: [max, 4, 7, 5]}, {call: [sum, $xs]}, {call: [abs, -2.5]}, {call: [round, 2.5]}, {call: [round, 3.14159, 2]}]
  - set: {d: {dict: [[a, 1]]}}
  - print: [{call: [$d.get, a]}, {call: [$d.get, z, 0]}, {call: [$d.keys]}, {call: [$d.values]}, {call: [list, {call: [$d.items]}]}]
  - print: [{call: [$sep.join, [a, b]]}, {call: [$s.upper]}, {call: [$s.split]}, {call: [$s.strip]}, {call: [$s.startswith, " He"]}]
  - print: [{call: [int, " 42 "]}, {call: [float, "1e3"]}, {call: [str, 1.0]}, {call: [bool, []]}, {call: [list, {call: [range, 1, 10, 3]}]}, {call: [tuple, ab]}]
  - print: [{call: [isinstance, 1, {name: int}]}, {call: [isinstance, true, {name: int}]}, {call: [isinstance, 1.0, {tuple: [{name: str}, {name: float}]}]}]
  - print: {comp: {mul: [$x, $x]}, for: x, in: {call: [range, 6]}, if: {mod: [$x, 2]}}
  - print: [{item: [$xs, -1]}, {slice: [$xs, 1, null]}, {slice: [hello, null, -1]}, {call: [type_name, $d]}]
  - set: {tpl: "{} + {} = {:>4}"}
  - print: {call: [$tpl.format, 1, 2, 3]}
`,
    `
def neg(x):
    return -x
s = " Hello World "; sep = ", "
xs = [3, 1, 2]
xs.append(0)
xs.extend((9, 8))
print(xs, len(xs), sorted(xs), sorted(xs, key=neg))
print(sorted(xs, reverse=True), xs.pop(), xs.index(2), xs.count(1))
xs.sort()
print(xs, min(xs), max(4, 7, 5), sum(xs), abs(-2.5), round(2.5), round(3.14159, 2))
d = {"a": 1}
print(d.get("a"), d.get("z", 0), d.keys(), d.values(), list(d.items()))
print(", ".join(["a", "b"]), s.upper(), s.split(), s.strip(), s.startswith(" He"))
print(int(" 42 "), float("1e3"), str(1.0), bool([]), list(range(1, 10, 3)), tuple("ab"))
print(isinstance(1, int), isinstance(True, int), isinstance(1.0, (str, float)))
print([x * x for x in range(6) if x % 2])
print(xs[-1], xs[1:], "hello"[:-1], type(d).__name__)
print("{} + {} = {:>4}".format(1, 2, 3))
`,
  ],
  [
    'reports interpreter errors with CPython messages',
    `
module:
  - for: k
    in: [0, 1, 2, 3, 4, 5, 6, 7]
    do:
      - try:
          - if: {eq: [$k, 0]}
            then: [{print: {add: [1, x]}}]
          - if: {eq: [$k, 1]}
            then: [{print: {item: [[1], 5]}}]
          - if: {eq: [$k, 2]}
            then: [{print: {lt: [1, x]}}]
          - if: {eq: [$k, 3]}
            then: [{set: {"a, b": [1, 2, 3]}}]
          - if: {eq: [$k, 4]}
            then: [{call: [len, 5]}]
          - if: {eq: [$k, 5]}
            then: [{for: i, in: 3, do: [pass]}]
          - if: {eq: [$k, 6]}
            then: [{print: {call: [int, x1]}}]
          - if: {eq: [$k, 7]}
            then: [raise]
        except:
          - type: Exception
            as: e
            do: [{print: {f: "{k}: {e!r}"}}]
`,
    `
for k in [0, 1, 2, 3, 4, 5, 6, 7]:
    try:
        if k == 0: print(1 + "x")
        if k == 1: print([1][5])
        if k == 2: print(1 < "x")
        if k == 3: a, b = [1, 2, 3]
        if k == 4: len(5)
        if k == 5:
            for i in 3: pass
        if k == 6: print(int("x1"))
        if k == 7: raise
    except Exception as e:
        print(f"{k}: {e!r}")
`,
  ],
  [
    'runs coroutines: awaits, return values, f-strings and the outcome of asyncio.run(main())',
    `
coroutines:
  double:
    params: [x]
    body:
      - await: {sleep: 0}
      - return: {mul: [$x, 2]}
  main:
    body:
      - set: {total: 0}
      - for: i
        in: {call: [range, 3]}
        do: [{set: {total: {add: [$total, {await: {call: [double, $i]}}]}}}]
      - print: {f: "total={total} {total!r:>4} {total:.1f}"}
      - set: {v: {await: {sleep: 0, result: done}}}
      - return: [$total, $v]
`,
    `
import asyncio
async def double(x):
    await asyncio.sleep(0)
    return x * 2
async def main():
    total = 0
    for i in range(3):
        total = total + await double(i)
    print(f"total={total} {total!r:>4} {total:.1f}")
    v = await asyncio.sleep(0, result="done")
    return [total, v]
__result__ = asyncio.run(main())
`,
  ],
  [
    'evaluates f-string fields that are small Python expressions',
    `
functions:
  twice:
    params: [v]
    body: [{return: {mul: [$v, 2]}}]
module:
  - set: {xs: [1, 2, 1], n: 42, x: 3.5, d: {dict: [[k, 1]]}, none: null}
  - print: {f: "{len(xs)} {1 in xs} {5 not in xs} {none is None} {x is not None} {d['k'] + 1} {xs[1:]} {xs[-1]}"}
  - print: {f: "{type(x).__name__} {n * 2:>5} {'yes' if n else 'no'} {not n} {-n} {n == 42 and x < 4} {xs.count(1)}"}
  - print: {f: "{str(n).upper()} {twice(n)} {sorted(xs)!r} {(1, 2)} {[n, x]} {n // 5 % 3} {2 ** 10} {1 < n < 100}"}
`,
    `
def twice(v):
    return v * 2
xs = [1, 2, 1]; n = 42; x = 3.5; d = {"k": 1}; none = None
print(f"{len(xs)} {1 in xs} {5 not in xs} {none is None} {x is not None} {d['k'] + 1} {xs[1:]} {xs[-1]}")
print(f"{type(x).__name__} {n * 2:>5} {'yes' if n else 'no'} {not n} {-n} {n == 42 and x < 4} {xs.count(1)}")
print(f"{str(n).upper()} {twice(n)} {sorted(xs)!r} {(1, 2)} {[n, x]} {n // 5 % 3} {2 ** 10} {1 < n < 100}")
`,
  ],
  [
    'ends with the exception that escaped main',
    `
coroutines:
  main:
    body:
      - print: before
      - return: {div: [1, 0]}
`,
    `
import asyncio
async def main():
    print("before")
    return 1 / 0
__result__ = asyncio.run(main())
`,
  ],
  [
    'gives one type object per type, and names the owner type of a bound method',
    `
module:
  - set: {s: {call: [set]}, d: {dict: []}}
  - print: [{is: [{call: [type, null]}, {call: [type, null]}]}, {is: [{call: [type, {call: [$d.keys]}]}, {call: [type, {call: [$d.keys]}]}]}]
  - set: {r: {call: [repr, $s.add]}}
  - print: {item: [{call: [$r.split, " at "]}, 0]}
  - set: {r: {call: [repr, $d.get]}}
  - print: {item: [{call: [$r.split, " at "]}, 0]}
`,
    `
s = set(); d = {}
print(type(None) is type(None), type(d.keys()) is type(d.keys()))
print(repr(s.add).split(" at ")[0])
print(repr(d.get).split(" at ")[0])
`,
  ],
];

describe('interpreter: programs behave as the Python programs they stand for', () => {
  for (const [title, yaml, python] of CASES) {
    it(title, async () => {
      const got = transcript(await run(yaml));
      expect(got).to.deep.equal(pythonTranscript(python.trimStart()));
    });
  }
});

describe('interpreter: events, time and the implementation boundary', () => {
  it('stamps each printed line with the virtual time at which its newline was written', async () => {
    const r = await run(`
functions:
  nap:
    body:
      - print: a
        end: ""
      - call: [time.sleep, 2]
      - print: b
module:
  - call: [nap]
  - print: tail
    end: ""
`);
    expect(r.session.events).to.deep.equal([
      { t: 2, kind: 'print', text: 'ab' },
      { t: 2, kind: 'print', text: 'tail' },
    ]);
  });

  it('warns for a coroutine dropped by an expression statement, a rebinding, del and a returning function', async () => {
    const r = await run(`
coroutines:
  work:
    body: [{return: 1}]
  keeper:
    body:
      - set: {c: {call: [work]}}
      - return: 0
  main:
    body:
      - call: [work]
      - set: {x: {call: [work]}}
      - set: {x: 1}
      - set: {y: {call: [work]}}
      - del: [y]
      - set: {kept: [{call: [work]}]}
      - set: {z: $kept}
      - set: {kept: null}
      - await: {call: [keeper]}
      - set: {awaited: {call: [work]}}
      - await: $awaited
`);
    // The fifth is the list held by z, dropped with main's locals when main returns.
    const warnings = r.session.events.filter((e) => e.kind === 'warning');
    expect(warnings).to.have.length(5);
    expect(warnings.map((w) => (w as { message: string }).message)).to.deep.equal(
      Array(5).fill("coroutine 'work' was never awaited"),
    );
    // The awaited coroutine is released too (main's local), but it was started: no warning.
    expect(r.session.released.filter((x) => x instanceof FakeCoroutine)).to.have.length(6);
  });

  it('drives async for and async with through the implementation objects', async () => {
    const r = await run(`
coroutines:
  main:
    body:
      - async_for: x
        in: {call: [aiter_of, a, b]}
        do: [{print: $x}]
      - set: {m: {call: [manager, true]}}
      - async_with: $m
        as: res
        do:
          - print: $res
          - raise: {call: [ValueError, inside]}
      - print: suppressed
`);
    expect(r.lines).to.deep.equal(['a', 'b', 'resource', 'suppressed']);
    expect(r.session.clock).to.equal(2);
  });

  it('iterates implementation iterables with session.iterate', async () => {
    const r = await run(`
module:
  - print: {call: [sorted, {call: [bag, 3, 1, 2]}]}
  - print: {in: [2, {call: [bag, 1, 2]}]}
`);
    expect(r.lines).to.deep.equal(['[1, 2, 3]', 'True']);
  });

  it('reports a deadlock as the outcome', async () => {
    const r = await run(`
module:
  - call: [block_forever]
`);
    expect(r.outcome).to.deep.equal({ kind: 'deadlock' });
  });

  it('uses the 3.10 UnboundLocalError message on 3.10', async () => {
    const r = await run(
      `
functions:
  f:
    body:
      - print: $x
      - set: {x: 1}
module:
  - call: [f]
`,
      '3.10',
    );
    expect(r.outcome).to.deep.include({ kind: 'raised', str: "local variable 'x' referenced before assignment" });
  });

  it('refuses await outside a coroutine as a malformed scenario, not a Python exception', async () => {
    let error: unknown;
    try {
      await run(`
module:
  - await: {sleep: 0}
`);
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(Error).with.property('name', 'ScenarioError');
  });
});
