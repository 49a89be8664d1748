"""The rule files shipped with Jawaz: the vocabulary, one folder per jurisdiction, the
frameworks, FATF listings and FX rates. Data only; see README.md in this folder."""
