SELECT count(*), sum(small.w) FROM big JOIN small ON big.a = small.id WHERE small.w < 500;
