"""SaaS metric calculators: number fields, the calculator form, one module of forms per
family (LTV, retention and churn, unit economics) and the page that shows them all. The
formulas themselves are in ``training.metrics``."""
