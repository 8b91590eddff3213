"""The judge's corpus: (function, answer, expected verdict) for core.equivalence.judge_derivative.

Each function lists equivalent rewritings (expanded, factored, trig and hyperbolic identities,
other constant forms) and near-misses (sign flips, a missing factor 2, off-by-one powers, a
constant added, f typed back, the wrong function). HOSTILE holds inputs that must never be
accepted nor raise. The same lists feed tests/core/test_equivalence.py and the timing report.
"""

from __future__ import annotations

# function: (domain or None for the default (-5, 5), [right answers], [wrong answers])
CASES: dict[str, tuple[tuple[float, float] | None, list[str], list[str]]] = {
    "(x-3)**2+1": (
        (-2.0, 8.0),
        [
            "2*(x-3)",
            "2*x-6",
            "-6+2*x",
            "(x-3)*2",
            "2*x - 3 - 3",
            "x+x-6",
            "4*(x/2 - 1.5)",
            "2*(x-3)**1",
            "((x-3)**2)/(x-3)*2",
            "2*x-6+0*x",
        ],
        ["x-3", "2*x-3", "2*(x+3)", "-2*(x-3)", "(x-3)**2", "2*(x-3)+1", "2*x", "2*x-6.001", "2*(x-3)**2"],
    ),
    "x**2": (
        None,
        [
            "2*x",
            "x*2",
            "x+x",
            "2*x**1",
            "4*x/2",
            "(x**2)/x*2",
            "2*sqrt(x**2)*x/abs(x)",
            "2*exp(log(abs(x)))*x/abs(x)",
            "(x+1)**2-x**2-1",
        ],
        ["x", "2", "x**2", "-2*x", "2*x+1", "2*x**2", "x/2", "2*abs(x)", "2*x+0.0001"],
    ),
    "x**3": (
        None,
        [
            "3*x**2",
            "3*x*x",
            "x**2*3",
            "3*(x**2)",
            "x**2+x**2+x**2",
            "3*abs(x)**2",
            "(3*x**3)/x",
            "1.5*2*x**2",
        ],
        ["3*x", "3*x**3", "x**2", "2*x**2", "3*x**2+1", "-3*x**2", "3*x**(2.01)", "x**3/3"],
    ),
    "x**5": (
        None,
        ["5*x**4", "5*x*x*x*x", "5*(x**2)**2", "10*x**4/2", "5*abs(x)**4"],
        ["5*x**5", "4*x**4", "5*x**3", "x**4", "5*x**4-1"],
    ),
    "exp(x)": (
        None,
        ["exp(x)", "e**x", "exp(x/2)**2", "exp(x-1)*e", "exp(x)*1", "1/exp(-x)", "exp(x+log(1))"],
        ["x*exp(x-1)", "exp(x)+1", "-exp(x)", "2*exp(x)", "exp(-x)", "e**(x+0.001)", "exp(x)-x"],
    ),
    "exp(2*x)": (
        None,
        ["2*exp(2*x)", "2*exp(x)**2", "2*e**(2*x)", "exp(2*x+log(2))", "exp(x)*exp(x)*2", "4*exp(2*x)/2"],
        ["exp(2*x)", "2*exp(x)", "2*x*exp(2*x)", "exp(2*x)/2", "-2*exp(2*x)", "2*exp(2*x)+2"],
    ),
    "log(x)": (
        (0.05, 10.0),
        ["1/x", "x**-1", "x**(-1)", "2/(2*x)", "exp(-log(x))", "1/abs(x)", "(1/x)**1"],
        ["log(x)", "1/x**2", "-1/x", "x", "1/x+1", "1/(x+1)", "2/x", "-log(x)"],
    ),
    "log(x**2+1)": (
        None,
        ["2*x/(x**2+1)", "2*x/(1+x**2)", "(2*x)*(x**2+1)**-1", "x/(0.5*x**2+0.5)"],
        ["1/(x**2+1)", "2*x/(x**2+1)**2", "-2*x/(x**2+1)", "2/(x**2+1)", "2*x/(x**2)"],
    ),
    "sin(x)": (
        None,
        [
            "cos(x)",
            "sin(x+pi/2)",
            "cos(-x)",
            "-sin(x-pi/2)",
            "1-2*sin(x/2)**2",
            "2*cos(x/2)**2-1",
            "cos(x+2*pi)",
        ],
        ["-cos(x)", "sin(x)", "cos(x)+1", "cos(2*x)", "-sin(x)", "cos(x)**2", "tan(x)"],
    ),
    "cos(2*x)": (
        None,
        ["-2*sin(2*x)", "-4*sin(x)*cos(x)", "2*sin(-2*x)", "-2*cos(2*x-pi/2)", "-sin(2*x)*2"],
        ["-sin(2*x)", "2*sin(2*x)", "-2*sin(x)", "-2*cos(2*x)", "-2*sin(2*x)+0.01"],
    ),
    "sin(x)**2": (
        None,
        [
            "2*sin(x)*cos(x)",
            "sin(2*x)",
            "2*cos(x)*sin(x)",
            "sin(x)*cos(x)+cos(x)*sin(x)",
            "cos(x-pi/2)*cos(x)*2",
            "2*tan(x)*cos(x)**2",
        ],
        ["2*sin(x)", "cos(x)**2", "sin(x)*cos(x)", "-2*sin(x)*cos(x)", "2*sin(x)*cos(x)+1", "2*cos(x)"],
    ),
    "tan(x)": (
        (-1.3, 1.3),
        ["1/cos(x)**2", "1+tan(x)**2", "cos(x)**-2", "(sin(x)**2+cos(x)**2)/cos(x)**2", "2/(1+cos(2*x))"],
        ["1/cos(x)", "-1/cos(x)**2", "tan(x)**2", "1/sin(x)**2", "1-tan(x)**2", "sin(x)/cos(x)"],
    ),
    "sigmoid(x)": (
        None,
        [
            "sigmoid(x)*(1-sigmoid(x))",
            "exp(-x)/(1+exp(-x))**2",
            "sigmoid(x)-sigmoid(x)**2",
            "exp(x)/(1+exp(x))**2",
            "sigmoid(x)*sigmoid(-x)",
            "1/(exp(x/2)+exp(-x/2))**2",
            "0.25*(1-tanh(x/2)**2)",
            "1/(2+exp(x)+exp(-x))",
        ],
        [
            "sigmoid(x)*(1+sigmoid(x))",
            "sigmoid(x)",
            "exp(-x)/(1+exp(-x))",
            "sigmoid(x)**2",
            "1-sigmoid(x)",
            "-sigmoid(x)*(1-sigmoid(x))",
            "0.25",
            "exp(x)/(1+exp(x))**3",
            "sigmoid(x)*(1-sigmoid(x))+0.01",
        ],
    ),
    "tanh(x)": (
        None,
        [
            "1-tanh(x)**2",
            "1/(exp(x)/2+exp(-x)/2)**2",
            "4/(exp(x)+exp(-x))**2",
            "(1-tanh(x))*(1+tanh(x))",
            "4*sigmoid(2*x)*(1-sigmoid(2*x))",
            "4/(exp(2*x)+2+exp(-2*x))",
        ],
        [
            "1+tanh(x)**2",
            "tanh(x)**2-1",
            "1-tanh(x)",
            "2/(exp(x)+exp(-x))",
            "1-tanh(x)**3",
            "tanh(x)",
            "2*(1-tanh(x)**2)",
            "1-tanh(2*x)**2",
        ],
    ),
    "relu(x)": (
        None,
        ["relu(x)/x", "(abs(x)+x)/(2*abs(x))", "(1+abs(x)/x)/2", "relu(x)**2/x**2", "relu(2*x)/(2*x)"],
        ["relu(x)", "1", "0", "x/abs(x)", "abs(x)/x", "relu(-x)/x", "relu(x-1)/(x-1)"],
    ),
    "abs(x)": (
        None,
        ["x/abs(x)", "abs(x)/x", "x/sqrt(x**2)", "sqrt(x**2)/x", "2*relu(x)/x-1"],
        ["1", "x", "-x/abs(x)", "abs(x)", "relu(x)/x", "x/abs(x)+1"],
    ),
    "sqrt(x)": (
        (0.05, 10.0),
        [
            "1/(2*sqrt(x))",
            "0.5/sqrt(x)",
            "0.5*x**-0.5",
            "x**(-1/2)/2",
            "sqrt(x)/(2*x)",
            "1/sqrt(4*x)",
            "0.5*exp(-0.5*log(x))",
        ],
        ["1/sqrt(x)", "2*sqrt(x)", "0.5*x**0.5", "-0.5/sqrt(x)", "x**(-3/2)/2", "1/(2*x)", "1/(2*sqrt(x))+1"],
    ),
    "x*exp(-x)": (
        None,
        ["exp(-x)-x*exp(-x)", "(1-x)*exp(-x)", "exp(-x)*(1-x)", "(1-x)/exp(x)", "-(x-1)*exp(-x)"],
        ["exp(-x)", "-x*exp(-x)", "(1+x)*exp(-x)", "(x-1)*exp(-x)", "(1-x)*exp(x)", "exp(-x)-x*exp(-x)+1"],
    ),
    "1/(1+x**2)": (
        None,
        ["-2*x/(1+x**2)**2", "-2*x*(1+x**2)**-2", "-2*x/(1+2*x**2+x**4)", "2*x/(-(1+x**2)**2)"],
        ["2*x/(1+x**2)**2", "-2*x/(1+x**2)", "-1/(1+x**2)**2", "-x/(1+x**2)**2", "-2*x/(1+x**2)**3"],
    ),
    "exp(-x**2/2)": (
        None,
        ["-x*exp(-x**2/2)", "-x/exp(x**2/2)", "-x*exp(-0.5*x**2)", "-x*sqrt(exp(-x**2))"],
        ["x*exp(-x**2/2)", "-exp(-x**2/2)", "-2*x*exp(-x**2/2)", "-x*exp(-x**2)", "exp(-x**2/2)"],
    ),
    "log(1+exp(x))": (
        None,
        ["sigmoid(x)", "exp(x)/(1+exp(x))", "1/(1+exp(-x))", "1-sigmoid(-x)", "(1+tanh(x/2))/2"],
        [
            "exp(x)",
            "1/(1+exp(x))",
            "sigmoid(x)*(1-sigmoid(x))",
            "sigmoid(-x)",
            "log(1+exp(x))",
            "sigmoid(x)+0.5",
        ],
    ),
    "x*sigmoid(x)": (
        None,
        [
            "sigmoid(x)+x*sigmoid(x)*(1-sigmoid(x))",
            "sigmoid(x)*(1+x*(1-sigmoid(x)))",
            "sigmoid(x)+x*exp(-x)/(1+exp(-x))**2",
            "sigmoid(x)*(1+x*sigmoid(-x))",
        ],
        [
            "sigmoid(x)",
            "x*sigmoid(x)*(1-sigmoid(x))",
            "sigmoid(x)-x*sigmoid(x)*(1-sigmoid(x))",
            "sigmoid(x)*(1-sigmoid(x))",
            "sigmoid(x)*(1+x*(1+sigmoid(x)))",
        ],
    ),
    "(2*x+1)**3": (
        None,
        ["6*(2*x+1)**2", "3*(2*x+1)**2*2", "24*x**2+24*x+6", "6*(4*x**2+4*x+1)", "6*(2*x+1)*(2*x+1)"],
        ["3*(2*x+1)**2", "6*(2*x+1)**3", "6*(2*x+1)", "12*(2*x+1)**2", "24*x**2+24*x+5", "6*(2*x-1)**2"],
    ),
    "x**4-3*x**2+2": (
        None,
        ["4*x**3-6*x", "2*x*(2*x**2-3)", "x*(4*x**2-6)", "4*x*x*x-6*x", "-6*x+4*x**3"],
        ["4*x**3-6*x+2", "4*x**3-3*x", "4*x**3+6*x", "4*x**4-6*x**2", "x**3-6*x", "4*x**3-6"],
    ),
    "3*x+7": (
        None,
        ["3", "3.0", "6/2", "3*x/x", "3+0*x", "sqrt(9)", "3*x**0", "exp(log(3))"],
        ["3*x", "7", "10", "3*x+7", "-3", "3+1", "x"],
    ),
    "sqrt(x**2+1)": (
        None,
        ["x/sqrt(x**2+1)", "x*(x**2+1)**-0.5", "2*x/(2*sqrt(1+x**2))", "x*sqrt(x**2+1)/(x**2+1)"],
        ["1/(2*sqrt(x**2+1))", "x/(x**2+1)", "2*x/sqrt(x**2+1)", "-x/sqrt(x**2+1)", "sqrt(x**2+1)"],
    ),
    "x**2*log(x)": (
        (0.05, 10.0),
        ["2*x*log(x)+x", "x*(2*log(x)+1)", "x*log(x**2)+x", "x*(log(x**2)+1)", "2*x*log(x)+x**2/x"],
        ["2*x*log(x)", "2*x*log(x)+1", "x*log(x)+x", "2*x/x", "2*x*log(x)-x"],
    ),
    "exp(sin(x))": (
        None,
        ["cos(x)*exp(sin(x))", "exp(sin(x))*cos(x)", "exp(sin(x)+log(abs(cos(x))))*cos(x)/abs(cos(x))"],
        ["exp(sin(x))", "exp(cos(x))", "sin(x)*exp(sin(x))", "-cos(x)*exp(sin(x))", "cos(x)*exp(cos(x))"],
    ),
    "x/(1+x)": (
        (0.0, 10.0),
        ["1/(1+x)**2", "(1+x-x)/(1+x)**2", "(1+x)**-2", "1/(x**2+2*x+1)"],
        ["1/(1+x)", "-1/(1+x)**2", "x/(1+x)**2", "1/(1+x)**3", "2/(1+x)**2"],
    ),
    "2**x": (
        None,
        ["log(2)*2**x", "2**x*log(2)", "exp(x*log(2))*log(2)", "0.6931471805599453*2**x"],
        ["x*2**(x-1)", "2**x", "2**x/log(2)", "log(2)*2**(x+1)", "0.69*2**x"],
    ),
}

# Derivatives of sums that differ only on part of the domain (local near-misses).
LOCAL: list[tuple[str, str]] = [
    ("x**2", "2*x+relu(x-4)"),
    ("x**2", "2*x*(1+relu(x-4.5))"),
    ("relu(x)", "relu(x+0.5)/(x+0.5)"),
    ("abs(x)", "(x-0.25)/abs(x-0.25)"),
]

# Inputs that must give "unreadable" or "free_name", never an exception or "right".
HOSTILE: list[str] = [
    "",
    "   ",
    "__import__('os').system('ls')",
    "x.__class__",
    "lambda x: 2*x",
    "2x",
    "2*x;",
    "x**2)",
    "(2*x",
    "open('f')",
    "globals()",
    "9**9**9",
    "x" * 600,
    "(" * 200 + "x" + ")" * 200,
    "2*t",
    "2*w",
    "dx",
    "f'(x)",
    "d/dx x**2",
    "2·x",
    "2*x\x00",
    "sech(x)**2",
    "cosh(x)",
    "x!",
    "[2*x]",
    "{x}",
    "2*x if x else 0",
    "`x`",
    "x @ x",
    "'2*x'",
    "y",
    "2*X",
    "π",
    "1e309*x",
    "exp(x)**exp(x)**exp(x)**exp(x)",
    "+".join(["x"] * 400),
    "sin(" * 70 + "x" + ")" * 70,
    # legal but heavy: near the parser's node and depth limits (judged wrong, in time)
    "*".join(["(x+1)"] * 70),
    "exp(" * 55 + "x" + ")" * 55,
    "+".join(["tanh(x)**2"] * 60),
    "/".join(["(x+2)"] * 80),
    "sigmoid(" * 59 + "x" + ")" * 59,
]
